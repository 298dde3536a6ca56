# exitlat-history: the nightly history in SQLite, regression checks, trend
# data (issue 7). regress.c is pure (no database) and unit-tested alone.
HISTORY_LIB_SRCS := history/db.c history/import.c history/regress.c history/check.c \
		    history/emit.c history/trend.c history/layout.c \
		    history/metrics.c history/markdown.c history/dashboard.c
HISTORY_OBJS := $(patsubst %.c,$(B)/obj/%.o,$(HISTORY_LIB_SRCS))

PROGRAMS += $(B)/exitlat-history
HISTORY_TESTS := $(B)/tests/test_history_regress $(B)/tests/test_history_db \
		 $(B)/tests/test_history_emit $(B)/tests/test_history_layout \
		 $(B)/tests/test_history_markdown
UNIT_TESTS += $(HISTORY_TESTS)

$(B)/exitlat-history: EXITLAT_LDLIBS += -lsqlite3
$(B)/exitlat-history: $(B)/obj/history/cli.o $(HISTORY_OBJS) $(LIBEXITLAT)
	$(LINK)

$(B)/tests/test_history_regress: $(B)/obj/history/regress.o
$(B)/tests/test_history_db: EXITLAT_LDLIBS += -lsqlite3
$(B)/tests/test_history_db: $(HISTORY_OBJS)

# Test sources include the history's private headers.
$(B)/obj/tests/unit/test_history_%.o: EXITLAT_CFLAGS += -Ihistory
$(B)/tests/test_history_emit: EXITLAT_LDLIBS += -lsqlite3
$(B)/tests/test_history_emit: $(B)/obj/history/emit.o
$(B)/tests/test_history_layout: $(B)/obj/history/layout.o
$(B)/tests/test_history_markdown: $(B)/obj/history/markdown.o
