# libexitlat: the sample-format reader/writer, the exit-kind table, the
# environment keys and atomic files, shared by every user-space tool.
LIB_SRCS := lib/atomic_dir.c lib/atomic_file.c lib/cli.c lib/envinfo.c lib/exit_kinds.c \
	    lib/quantile.c lib/samples_header.c lib/samples_reader.c lib/samples_writer.c \
	    lib/text.c lib/xdec.c
LIBEXITLAT := $(B)/libexitlat.a

$(LIBEXITLAT): $(patsubst %.c,$(B)/obj/%.o,$(LIB_SRCS))
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

UNIT_TESTS += $(B)/tests/test_samples_reader $(B)/tests/test_samples_writer \
	      $(B)/tests/test_atomic_file $(B)/tests/test_atomic_dir \
	      $(B)/tests/test_exit_kinds $(B)/tests/test_text
# docs/exit-kinds.md, read through the test-data loader
$(B)/tests/test_exit_kinds: $(B)/obj/tests/unit/fixtures.o
