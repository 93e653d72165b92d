EXTENSION = account_tier
EXTVERSION = $(shell grep default_version $(EXTENSION).control | sed -e "s/default_version[[:space:]]*=[[:space:]]*'\([^']*\)'/\1/")

MODULE_big = $(EXTENSION)
OBJS = src/decode.o src/exact_sum.o src/state.o \
  src/values.o src/sort.o src/select.o src/probe.o src/sums.o src/wire.o \
  src/splits.o src/computed.o src/tiers.o src/shares.o src/visits.o \
  src/module.o src/window.o src/values_state.o src/aggregates.o src/classify.o src/visits_sql.o src/sales_totals.o

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

EXTRA_CLEAN = $(DATA_built) .built-for-*

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
ifneq ($(wildcard $(PGXS)),)
# PostgreSQL's headers are system headers here: warnings are ours alone.
PG_CPPFLAGS = -isystem $(shell $(PG_CONFIG) --includedir-server)
include $(PGXS)
# Only the SQL entry points are exported (src/module.h marks them); all else
# stays inside the library.  PostgreSQL 16's PGXS passes this itself, 15's
# does not.
override CFLAGS += -fvisibility=hidden

# The full scripts that earlier builds installed for earlier versions
# (account_tier--1.1.sql, --1.2.sql, ...) are removed on install: left
# behind, CREATE EXTENSION ... VERSION '1.2' would run such an old script
# instead of the base script and the updates, with none of their fixes.
STALE_SCRIPTS = $(filter-out $(notdir $(DATA_built)),\
  $(foreach f,$(UPGRADE_SCRIPTS),$(EXTENSION)--$(lastword $(subst --, ,$(basename $(notdir $(f))))).sql))
install: remove-stale-scripts
.PHONY: remove-stale-scripts
remove-stale-scripts:
	rm -f $(addprefix '$(DESTDIR)$(datadir)/$(datamoduledir)/,$(addsuffix ',$(STALE_SCRIPTS)))
else
# On a machine without PostgreSQL's server headers yet, only the targets
# below (which install them first) can run.
all install installcheck:
	@echo "PostgreSQL server headers are missing: run 'make deps' (or 'make test')" >&2
	@exit 1
endif

# The PostgreSQL major version that test, demo and bench build for and run
# on, as Debian packages it: by default that of $(PG_CONFIG), else the one the
# Debian release ships (tools/pg-major.sh); `make test PG_MAJOR=17` picks one.
# Worked out once, and only when a target needs it.
PG_MAJOR ?= $(eval PG_MAJOR := $(shell PG_CONFIG=$(PG_CONFIG) tools/pg-major.sh))$(PG_MAJOR)
MAJOR_PG_CONFIG = /usr/lib/postgresql/$(PG_MAJOR)/bin/pg_config

$(OBJS): $(wildcard src/*.h)

# Objects built for another PostgreSQL (PG_CONFIG=, PG_MAJOR=) are rebuilt:
# they depend on a stamp that names the server they are built for.
BUILD_STAMP := .built-for-$(shell $(PG_CONFIG) --version 2>/dev/null | tr -c 'A-Za-z0-9.\n' '-')
$(OBJS): $(BUILD_STAMP)
$(BUILD_STAMP):
	rm -f .built-for-*
	touch $@

# The chain without the upgrade scripts' "\echo ... \quit" guard lines.
$(DATA_built): $(BASE_SCRIPT) $(UPGRADE_SCRIPTS)
	{ cat $(BASE_SCRIPT); for f in $(UPGRADE_SCRIPTS); do echo; grep -v '^\\echo ' "$$f"; done; } > $@

.PHONY: deps test test-citus test-matrix demo bench deb dist fuzz valgrind

# test, demo and bench install the extension into the server's directories:
# as root, or through sudo (tools/deps.sh says so when neither is there).
AS_ROOT = $(if $(filter 0,$(shell id -u)),,sudo)

# Installs the Debian packages the build and the tests need.
deps:
	tools/deps.sh $(PG_MAJOR)

# Builds, installs and runs every suite on a throwaway cluster.
test: deps
	$(MAKE) all PG_CONFIG=$(MAJOR_PG_CONFIG)
	$(AS_ROOT) $(MAKE) install PG_CONFIG=$(MAJOR_PG_CONFIG)
	tools/run-tests.sh $(PG_MAJOR)

# On a throwaway Citus cluster (a coordinator and two workers on loopback):
# every function and aggregate distributed against plain, where each runs and
# how long it takes, and the sample book distributed with distribute_book()
# against one server (test/citus/run.sh; ROWS=... for another size).  Runs
# only where Citus is installed for that PostgreSQL, and says so otherwise.
test-citus:
	@if PG_CONFIG=$(MAJOR_PG_CONFIG) bash -c '. tools/citus-cluster.sh && citus_installed' 2>/dev/null; then \
	  $(MAKE) all PG_CONFIG=$(MAJOR_PG_CONFIG) && \
	  $(AS_ROOT) $(MAKE) install PG_CONFIG=$(MAJOR_PG_CONFIG) && \
	  PG_CONFIG=$(MAJOR_PG_CONFIG) test/citus/run.sh; \
	else \
	  echo "skipped: citus not installed"; \
	fi

# Every suite on PostgreSQL 15, 17 and 18, each in a throwaway root of the
# Debian release that ships it, and the Debian package of each (root only;
# MATRIX="15 18" for some of them; see tools/test-matrix.sh).
test-matrix:
	tools/test-matrix.sh

# Loads the bundled sample book and prints the 80/20 picture.
demo: deps
	tools/deps.sh $(PG_MAJOR) demo
	$(MAKE) all PG_CONFIG=$(MAJOR_PG_CONFIG)
	$(AS_ROOT) $(MAKE) install PG_CONFIG=$(MAJOR_PG_CONFIG)
	PG_MAJOR=$(PG_MAJOR) tools/demo.sh

# Times the functions against plain SQL on 2,000,000 accounts, and the
# account book's views against a plain GROUP BY on 20,000,000 sales lines.
bench: deps
	$(MAKE) all PG_CONFIG=$(MAJOR_PG_CONFIG)
	$(AS_ROOT) $(MAKE) install PG_CONFIG=$(MAJOR_PG_CONFIG)
	PG_MAJOR=$(PG_MAJOR) tools/bench.sh

# Builds the Debian package postgresql-NN-account-tier for each PostgreSQL
# version this Debian release supports, into the parent directory (build
# dependencies: `apt-get build-dep ./`).
deb:
	pg_buildext updatecontrol
	dpkg-buildpackage -us -uc -b

# The release zip PGXN expects, of the committed tree: account_tier-V.zip
# holding account_tier-V/, V being META.json's version.
DIST_VERSION = $(shell perl -MJSON::PP -0777 -ne 'print decode_json($$_)->{version}' META.json)
dist:
	git archive --format=zip --prefix=$(EXTENSION)-$(DIST_VERSION)/ -o $(EXTENSION)-$(DIST_VERSION).zip HEAD

# Random calls of every function on random data, checked against an exact
# reference in plain SQL (FUZZ_SEED, FUZZ_SECONDS, FUZZ_KNOWN: tools/fuzz.pl).
fuzz: deps
	$(MAKE) all PG_CONFIG=$(MAJOR_PG_CONFIG)
	$(AS_ROOT) $(MAKE) install PG_CONFIG=$(MAJOR_PG_CONFIG)
	PG_MAJOR=$(PG_MAJOR) tools/fuzz.sh

# The suites against a server run under valgrind's memcheck; fails on any
# error with a frame in account_tier.so.
valgrind: deps
	$(MAKE) all PG_CONFIG=$(MAJOR_PG_CONFIG)
	$(AS_ROOT) $(MAKE) install PG_CONFIG=$(MAJOR_PG_CONFIG)
	PG_MAJOR=$(PG_MAJOR) tools/valgrind.sh
