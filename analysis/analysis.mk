# exitlat-analyze: exact statistics, the native vs KVM ladder, gnuplot data.
ANALYSIS_LIB_SRCS := analysis/value_count.c analysis/wide.c analysis/dist.c \
	analysis/bootstrap.c analysis/series.c analysis/overhead.c \
	analysis/output_common.c analysis/out_table.c analysis/out_json.c \
	analysis/out_csv.c analysis/out_gnuplot.c analysis/check.c analysis/breakdown.c \
	analysis/interrupts.c analysis/out_markdown.c
ANALYSIS_OBJS := $(patsubst %.c,$(B)/obj/%.o,$(ANALYSIS_LIB_SRCS))

PROGRAMS += $(B)/exitlat-analyze
STATIC_PROGRAMS += $(B)/static/exitlat-analyze

$(B)/exitlat-analyze: $(B)/obj/analysis/main.o $(ANALYSIS_OBJS) $(LIBEXITLAT)
	$(LINK)

$(B)/static/exitlat-analyze: $(B)/obj/analysis/main.o $(ANALYSIS_OBJS) $(LIBEXITLAT)
	$(LINK_STATIC)

ANALYSIS_TESTS := $(B)/tests/test_analysis_quantiles $(B)/tests/test_analysis_bootstrap \
	$(B)/tests/test_analysis_value_count $(B)/tests/test_analysis_tool \
	$(B)/tests/test_median $(B)/tests/test_analysis_ladder \
	$(B)/tests/test_analysis_breakdown $(B)/tests/test_analysis_interrupts
UNIT_TESTS += $(ANALYSIS_TESTS)
$(ANALYSIS_TESTS): $(ANALYSIS_OBJS)
# The tool test runs the real binary.
$(B)/tests/test_analysis_tool: | $(B)/exitlat-analyze

# libFuzzer target on the reader and the statistics (clang only). The
# reader's buffer is cut to 5000 bytes there, so that lines longer than the
# buffer (the 1 MiB of digits that once hung it) fit in a fuzz input.
FUZZ_CC ?= clang
ANALYSIS_FUZZ := $(B)/fuzz/analysis-fuzz
$(ANALYSIS_FUZZ): analysis/fuzz_target.c $(ANALYSIS_LIB_SRCS) $(LIB_SRCS)
	@mkdir -p $(@D)
	$(FUZZ_CC) -std=c11 -D_GNU_SOURCE -DEXITLAT_READ_CHUNK=5000 \
		-Wall -Wextra -Werror -Iinclude -Ianalysis -O1 -g \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		-o $@ $^ -lm

.PHONY: bench fuzz fuzz-build
fuzz-build: $(ANALYSIS_FUZZ)
# A long run; tests/host/analysis-fuzz.sh does a short one in `make test`.
FUZZ_SECONDS ?= 600
fuzz: $(ANALYSIS_FUZZ)
	B=$(B) FUZZ_SECONDS=$(FUZZ_SECONDS) tests/host/analysis-fuzz.sh

bench: $(B)/exitlat-analyze $(B)/bench-gen
	B=$(B) scripts/bench-analysis

# The bench's sample generator (not installed).
$(B)/bench-gen: $(B)/obj/analysis/bench_gen.o $(ANALYSIS_OBJS) $(LIBEXITLAT)
	$(LINK)
