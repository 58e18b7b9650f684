# flowpipes: one binary per cmd/<tool>/, common/ shared by all.
# A tool's extra link flags live in cmd/<tool>/LIBS (one line).
# BUILD may point elsewhere so parallel builds of one tree do not collide.

PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man
DESTDIR  ?=
BUILD    ?= build
CC       ?= cc
FUZZCC   ?= clang
FUZZ_SECONDS ?= 60

WARN     := -Wall -Wextra -Werror
BASEFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) -Icommon -MMD -MP
OPTFLAGS ?= -O2 -g
SANFLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

TOOLS       := $(notdir $(patsubst %/,%,$(wildcard cmd/*/)))
COMMON_SRC  := $(wildcard common/*/*.c)
UNIT_SRC    := $(wildcard tests/unit/test_*.c)
TESTAID_SRC := $(wildcard tests/aids/*.c)
FUZZ_SRC    := $(wildcard fuzz/fuzz_*.c)

tool_libs = $(shell cat cmd/$(1)/LIBS 2>/dev/null)

# ---- one build flavour: $(1) name, $(2) compiler flags ----
define flavour
$(1)_OBJ_COMMON := $$(COMMON_SRC:%.c=$(BUILD)/$(1)/%.o)
$(1)_LIB := $(BUILD)/$(1)/libflowpipes.a

$(BUILD)/$(1)/%.o: %.c
	@mkdir -p $$(dir $$@)
	$$(CC) $$(BASEFLAGS) $(2) $$(CPPFLAGS) $$(CFLAGS) -c -o $$@ $$<

$$($(1)_LIB): $$($(1)_OBJ_COMMON)
	@mkdir -p $$(dir $$@)
	rm -f $$@ && ar rcs $$@ $$^

$(1)_BINS := $$(TOOLS:%=$(BUILD)/$(1)/bin/%)
$(1)_UNITS := $$(UNIT_SRC:tests/unit/%.c=$(BUILD)/$(1)/unit/%)
$(1)_AIDS := $$(TESTAID_SRC:tests/aids/%.c=$(BUILD)/$(1)/bin/%)

-include $$(shell find $(BUILD)/$(1) -name '*.d' 2>/dev/null)
endef

$(eval $(call flavour,rel,$(OPTFLAGS)))
$(eval $(call flavour,asan,$(SANFLAGS)))

# tool binaries: every .c in cmd/<tool>/ plus the library
define tool_rule
$(BUILD)/$(1)/bin/$(2): $$(patsubst %.c,$(BUILD)/$(1)/%.o,$$(wildcard cmd/$(2)/*.c)) $$($(1)_LIB) cmd/$(2)/LIBS
	@mkdir -p $$(dir $$@)
	$$(CC) $(3) $$(LDFLAGS) -o $$@ $$(filter %.o %.a,$$^) $$(call tool_libs,$(2)) -lm
endef
$(foreach t,$(TOOLS),$(eval $(call tool_rule,rel,$(t),$(OPTFLAGS))))
$(foreach t,$(TOOLS),$(eval $(call tool_rule,asan,$(t),$(SANFLAGS))))

# unit tests: tests/unit/test_<name>.c, plus the tool sources named in
# test_<name>.srcs and the link flags in test_<name>.libs (both optional)
define unit_rule
$(BUILD)/$(1)/unit/$(2): $(BUILD)/$(1)/tests/unit/$(2).o $$(patsubst %.c,$(BUILD)/$(1)/%.o,$$(shell cat tests/unit/$(2).srcs 2>/dev/null)) $$($(1)_LIB)
	@mkdir -p $$(dir $$@)
	$$(CC) $(3) $$(LDFLAGS) -o $$@ $$^ $$(shell cat tests/unit/$(2).libs 2>/dev/null) -lm
endef
UNITS := $(UNIT_SRC:tests/unit/%.c=%)
$(foreach u,$(UNITS),$(eval $(call unit_rule,rel,$(u),$(OPTFLAGS))))
$(foreach u,$(UNITS),$(eval $(call unit_rule,asan,$(u),$(SANFLAGS))))

# test aids: small programs tests drive (tests/aids/<name>.c + optional .libs)
define aid_rule
$(BUILD)/$(1)/bin/$(2): $(BUILD)/$(1)/tests/aids/$(2).o $$($(1)_LIB)
	@mkdir -p $$(dir $$@)
	$$(CC) $(3) $$(LDFLAGS) -o $$@ $$^ $$(shell cat tests/aids/$(2).libs 2>/dev/null) -lm
endef
AIDS := $(TESTAID_SRC:tests/aids/%.c=%)
$(foreach a,$(AIDS),$(eval $(call aid_rule,rel,$(a),$(OPTFLAGS))))
$(foreach a,$(AIDS),$(eval $(call aid_rule,asan,$(a),$(SANFLAGS))))

cmd/%/LIBS:
	@touch $@

.PHONY: all check demo bench fuzz fuzz-bins install clean deps deps-build asan lint units
.DEFAULT_GOAL := all

all: $(rel_BINS) $(rel_AIDS)

asan: $(asan_BINS) $(asan_AIDS) $(asan_UNITS)

units: $(rel_UNITS)

deps:
	@scripts/deps

# what building and the demo need, not the test peers (scripts/packages-build)
deps-build:
	@scripts/deps build

lint:
	@for m in man1/*.1; do mandoc -T lint -W warning $$m || exit 1; done

check: deps
	scripts/check-layers
	scripts/check-minimal-deps
	$(MAKE) asan all
	BUILD=$(BUILD) scripts/run-tests

# deps first, then the build: a parallel make must not compile before
# the libraries it needs are installed
demo: deps-build
	$(MAKE) all
	BUILD=$(BUILD) scripts/demo

bench: deps
	$(MAKE) all
	BUILD=$(BUILD) scripts/bench

# libFuzzer targets: fuzz/fuzz_<name>.c against an archive of the common
# sources built for fuzzing (an archive, so a target pulls in only the
# objects it uses and no library it does not need, such as libpcap)
FUZZ_BINS := $(FUZZ_SRC:fuzz/%.c=$(BUILD)/fuzz/%)
FUZZFLAGS := -std=c11 -D_GNU_SOURCE -Icommon -g -O1 -fsanitize=fuzzer-no-link,address,undefined
FUZZ_OBJ := $(COMMON_SRC:%.c=$(BUILD)/fuzz/obj/%.o)
$(BUILD)/fuzz/obj/%.o: %.c $(wildcard common/*/*.h)
	@mkdir -p $(dir $@)
	$(FUZZCC) $(FUZZFLAGS) -c -o $@ $<
$(BUILD)/fuzz/libflowpipes.a: $(FUZZ_OBJ)
	rm -f $@ && ar rcs $@ $^
# extra tool sources a target needs: fuzz/fuzz_<name>.srcs
$(BUILD)/fuzz/%: fuzz/%.c $(BUILD)/fuzz/libflowpipes.a $(wildcard common/*/*.h fuzz/*.h fuzz/*.srcs cmd/*/*.c)
	@mkdir -p $(dir $@)
	$(FUZZCC) -std=c11 -D_GNU_SOURCE -Icommon -g -O1 -fsanitize=fuzzer,address,undefined -o $@ $< $(shell cat fuzz/$*.srcs 2>/dev/null) $(BUILD)/fuzz/libflowpipes.a -lm

fuzz: deps
	$(MAKE) fuzz-bins
	BUILD=$(BUILD) FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz

fuzz-bins: $(FUZZ_BINS)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(rel_BINS) $(DESTDIR)$(BINDIR)
	install -m 644 man1/*.1 $(DESTDIR)$(MANDIR)/man1

clean:
	rm -rf $(BUILD)
