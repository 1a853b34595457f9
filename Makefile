# SPDX-License-Identifier: GPL-2.0
# lockwatch: build the module and the reader, run the tests, boot the demo.
#
#   make                 module for the running kernel (or KVER=...) + reader
#   make check           install what is missing, build, unit + VM tests
#   make demo            boot a VM with the seed's deadlock and show reports
#   make bench           scan cost, hot-path overhead, latency, memory
#   make stress          churn, storms, reloads, bad input; KASAN + lockdep
#   make install         module into /lib/modules/KVER/extra, reader into sbin

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
PREFIX ?= /usr
CC ?= cc
# CFLAGS_EXTRA and LDFLAGS: the packager's (hardening) flags for the reader.
# The version: the top entry of debian/changelog.
VERSION := $(shell sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' debian/changelog)
USER_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -O2 \
	-DLW_VERSION='"$(VERSION)"'
READER_LIBS := -ljson-c -lbpf
READER_SRC := userspace/main.c userspace/load.c userspace/text.c userspace/json.c \
	userspace/prom.c userspace/check.c userspace/report.c userspace/watch.c \
	userspace/setup.c userspace/dot.c userspace/why.c
READER_HDR := userspace/report.h userspace/load.h userspace/output.h \
	userspace/watch.h userspace/setup.h
BUILD := build

.PHONY: all module reader unit check demo bench stress install install-reader clean checkpatch fuzz

FUZZ_SECONDS ?= 300

all: module reader

module:
	@test -d $(KDIR) || { echo "error: no kernel headers at $(KDIR): install linux-headers-$(KVER) or pass KVER=" >&2; exit 2; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) LW_VERSION=$(VERSION) modules

reader: userspace/lockwatch

# The journal where there is one; the static build for the test VMs logs
# to syslog only (Debian ships no static libsystemd).
userspace/lockwatch: $(READER_SRC) $(READER_HDR)
	$(CC) $(USER_CFLAGS) $(CFLAGS_EXTRA) -DLW_HAVE_JOURNAL -o $@ $(READER_SRC) $(LDFLAGS) $(READER_LIBS) -lsystemd

userspace/lockwatch-static: $(READER_SRC) $(READER_HDR)
	$(CC) $(USER_CFLAGS) -static -o $@ $(READER_SRC) $(READER_LIBS) -lelf -lz -lzstd

$(BUILD)/test_graph: tests/unit/test_graph.c module/report/graph.c module/report/graph.h
	@mkdir -p $(BUILD)
	$(CC) $(USER_CFLAGS) -o $@ tests/unit/test_graph.c module/report/graph.c -lcmocka

$(BUILD)/test_report: tests/unit/test_report.c userspace/report.c userspace/report.h
	@mkdir -p $(BUILD)
	$(CC) $(USER_CFLAGS) -DLW_DATA='"$(CURDIR)/tests/unit/data"' -o $@ tests/unit/test_report.c userspace/report.c -lcmocka

$(BUILD)/test_why: tests/unit/test_why.c tests/unit/capture.h userspace/why.c userspace/report.c $(READER_HDR)
	@mkdir -p $(BUILD)
	$(CC) $(USER_CFLAGS) -o $@ tests/unit/test_why.c userspace/why.c userspace/report.c -lcmocka -ljson-c

$(BUILD)/test_check: tests/unit/test_check.c tests/unit/capture.h userspace/check.c userspace/load.c userspace/report.c $(READER_HDR)
	@mkdir -p $(BUILD)
	$(CC) $(USER_CFLAGS) -o $@ tests/unit/test_check.c userspace/check.c userspace/load.c userspace/report.c -lcmocka

unit: $(BUILD)/test_graph $(BUILD)/test_report $(BUILD)/test_why $(BUILD)/test_check
	$(BUILD)/test_graph
	$(BUILD)/test_report
	$(BUILD)/test_why
	$(BUILD)/test_check

C_SRC := $(filter-out %.mod.c module/lw_config.h,$(wildcard module/*.c module/*.h \
	module/*/*.c module/*/*.h \
	tests/scenarios/*.c tests/scenarios/*.h tests/unit/*.c userspace/*.c userspace/*.h))

# libFuzzer on the report parsers, seeded with real reports; make check
# runs it for 20 s, make fuzz for FUZZ_SECONDS.
$(BUILD)/fuzz_report: tests/fuzz/fuzz_report.c userspace/report.c userspace/report.h
	@mkdir -p $(BUILD)
	clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o $@ tests/fuzz/fuzz_report.c userspace/report.c

fuzz: $(BUILD)/fuzz_report
	@mkdir -p $(BUILD)/fuzz-corpus
	$(BUILD)/fuzz_report -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
		-artifact_prefix=$(BUILD)/ \
		$(BUILD)/fuzz-corpus tests/unit/data

# All C follows the kernel style; no version checks (the probes decide).
checkpatch:
	/usr/src/linux-source-6.1/scripts/checkpatch.pl --no-tree --terse --show-types \
		-f $(C_SRC)

# make check KERNELS="6.1 7.2" runs the VM suite on those kernels only.
check:
	tests/run-check.sh $(KERNELS)

demo:
	tests/vm/demo.sh

# What lockwatch costs, as ratios within each boot: make bench [KERNEL=7.2]
bench:
	tests/bench.sh

# Churn, storms, reloads and bad input, on 6.1 and on a KASAN + lockdep
# build of it: make stress [STRESS_KERNELS="6.1 debug"]
stress:
	tests/stress.sh $(STRESS_KERNELS)

UNITDIR ?= /lib/systemd/system
MANDIR ?= $(PREFIX)/share/man

install: module install-reader
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=extra modules_install

# The reader, its man page and the systemd unit; DESTDIR-aware.
install-reader: reader
	install -D -m 0755 userspace/lockwatch $(DESTDIR)$(PREFIX)/sbin/lockwatch
	install -d $(DESTDIR)$(MANDIR)/man8
	sed 's/@VERSION@/$(VERSION)/' userspace/lockwatch.8 >$(DESTDIR)$(MANDIR)/man8/lockwatch.8
	chmod 0644 $(DESTDIR)$(MANDIR)/man8/lockwatch.8
	install -D -m 0644 userspace/lockwatch.service $(DESTDIR)$(UNITDIR)/lockwatch.service
	install -D -m 0644 userspace/lockwatch.rules.yml $(DESTDIR)$(PREFIX)/share/lockwatch/prometheus/lockwatch.rules.yml

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
	rm -f module/lw_config.h
	rm -f userspace/lockwatch userspace/lockwatch-static
	rm -rf $(BUILD)/test_graph $(BUILD)/test_report $(BUILD)/vm* $(BUILD)/kernels
