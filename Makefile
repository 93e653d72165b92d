EXTENSION = account_tier
EXTVERSION = $(shell grep default_version $(EXTENSION).control | sed -e "s/default_version[[:space:]]*=[[:space:]]*'\([^']*\)'/\1/")

MODULE_big = $(EXTENSION)
OBJS = src/decode.o src/values.o src/tiers.o src/computed.o src/window.o src/aggregates.o src/classify.o src/visits.o src/book.o

# Each version's objects are written once: the first version's full script,
# then one upgrade script per release.  The current version's full script is
# built by chaining them, so CREATE EXTENSION and ALTER EXTENSION ... UPDATE
# give the same objects.
BASE_SCRIPT = sql/$(EXTENSION)--1.0.sql
UPGRADE_SCRIPTS = sql/$(EXTENSION)--1.0--1.1.sql sql/$(EXTENSION)--1.1--1.2.sql sql/$(EXTENSION)--1.2--1.3.sql
DATA_built = sql/$(EXTENSION)--$(EXTVERSION).sql
DATA = $(BASE_SCRIPT) $(UPGRADE_SCRIPTS)

REGRESS = install pareto_share abc_tier abc_tier_by_count cutoffs summary classify computed visits errors
REGRESS_OPTS = --inputdir=test --load-extension=$(EXTENSION)

EXTRA_CLEAN = $(DATA_built)

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
ifneq ($(wildcard $(PGXS)),)
# PostgreSQL's headers are system headers here: warnings are ours alone.
PG_CPPFLAGS = -isystem $(shell $(PG_CONFIG) --includedir-server)
include $(PGXS)
else
# On a machine without postgresql-server-dev-15 yet, only the targets below
# (which install it first) can run.
all install installcheck:
	@echo "PostgreSQL 15 server headers are missing: run 'make deps' (or 'make test')" >&2
	@exit 1
endif

$(OBJS): $(wildcard src/*.h)

# The chain without the upgrade scripts' "\echo ... \quit" guard lines.
$(DATA_built): $(BASE_SCRIPT) $(UPGRADE_SCRIPTS)
	{ cat $(BASE_SCRIPT); for f in $(UPGRADE_SCRIPTS); do echo; grep -v '^\\echo ' "$$f"; done; } > $@

.PHONY: deps test demo bench fuzz valgrind

# Installs the Debian packages the build, the tests and the demo need.
deps:
	tools/deps.sh

# Builds, installs and runs every suite on a throwaway cluster.
test: deps
	$(MAKE) all
	$(MAKE) install
	tools/run-tests.sh

# Loads the bundled sample book and prints the 80/20 picture.
demo: deps
	$(MAKE) all
	$(MAKE) install
	tools/demo.sh

# Times the functions against plain SQL on 2,000,000 accounts, and the
# account book's views against a plain GROUP BY on 20,000,000 sales lines.
bench: deps
	$(MAKE) all
	$(MAKE) install
	tools/bench.sh

# Random calls of every function on random data, checked against an exact
# reference in plain SQL (FUZZ_SEED, FUZZ_SECONDS, FUZZ_KNOWN: tools/fuzz.pl).
fuzz: deps
	$(MAKE) all
	$(MAKE) install
	tools/fuzz.sh

# The suites against a server run under valgrind's memcheck; fails on any
# error with a frame in account_tier.so.
valgrind: deps
	$(MAKE) all
	$(MAKE) install
	tools/valgrind.sh
