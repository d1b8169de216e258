# The verbs a person types. Everything builds into target/; nothing outside the repository
# is touched except by `make install`.
#
#   make demo      build everything, start the emulator, run the examples (C, C++, Python, Go)
#                  with OAuth and with cookie login, stop the emulator
#   make test      every test tier: lint, Rust, C/C++ under sanitizers and valgrind, Python, Go
#   make install   PREFIX=/usr/local: library, header, pkg-config file, LICENSE and notices
#   make notices   regenerate packaging/THIRD-PARTY-NOTICES.txt after changing dependencies
#   make bench     libtasklist (C, Python, Go) against the Node SDK, requests and wrk;
#                  rewrites docs/benchmarks.md and its chart (about 10 minutes)
#   make header    regenerate include/tasklist.h after changing src/ffi

PREFIX ?= /usr/local
CARGO ?= cargo
PYTHON ?= python3
RELEASE := $(CURDIR)/target/release
# What a static link of the Rust library needs on Linux (cargo's native-static-libs).
NATIVE_LIBS := -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
CFLAGS_STRICT := -Wall -Wextra -Werror -pedantic -O2 -I$(CURDIR)/include
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)

.PHONY: all build examples demo test lint licence-check notices test-rust test-c test-python test-go header install clean auth-server-deps bench

all: build

build:
	$(CARGO) build --release -p tasklist-client -p tasklist-emulator

examples: build
	mkdir -p target/examples
	cc -std=c11 $(CFLAGS_STRICT) examples/c/tasklist_example.c $(RELEASE)/libtasklist.a $(NATIVE_LIBS) -o target/examples/tasklist_example
	c++ -std=c++17 $(CFLAGS_STRICT) examples/cpp/tasklist_example.cpp $(RELEASE)/libtasklist.a $(NATIVE_LIBS) -o target/examples/tasklist_example_cpp

demo: examples
	bash examples/demo.sh

test: lint licence-check test-rust test-c test-python test-go

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

# Every crate inside the library has an allowed licence, and the committed notices file is
# what the dependency tree gives.
licence-check:
	$(PYTHON) packaging/third_party.py check packaging/THIRD-PARTY-NOTICES.txt

notices:
	$(PYTHON) packaging/third_party.py notices packaging/THIRD-PARTY-NOTICES.txt

# The real authorization server (oidc-provider, pinned in its package-lock.json) that
# tests/real_auth_server.rs starts; those tests fail without it unless TASKLIST_SKIP_AUTH_SERVER=1.
auth-server-deps:
	npm ci --prefix tests/auth-server --no-audit --no-fund

test-rust: auth-server-deps
	$(CARGO) test --workspace

test-c: build
	bash tests/c/run.sh $(RELEASE)

test-python: build
	$(PYTHON) -m pytest --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet pytest
	TASKLIST_LIBRARY=$(RELEASE)/libtasklist.so TASKLIST_EMULATOR=$(RELEASE)/tasklist-emulator \
		$(PYTHON) -m pytest -q bindings/python/tests

test-go: build
	cd bindings/go && go vet ./...
	cd bindings/go && TASKLIST_EMULATOR=$(RELEASE)/tasklist-emulator go test -race -count=1 ./...
	cd bindings/go && TASKLIST_EMULATOR=$(RELEASE)/tasklist-emulator GODEBUG=cgocheck=1 go test -count=1 ./...

bench:
	bash bench/run.sh

header:
	TASKLIST_UPDATE_HEADER=1 $(CARGO) build -p tasklist-client

install: build
	install -d $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 644 $(RELEASE)/libtasklist.a $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(RELEASE)/libtasklist.so $(DESTDIR)$(PREFIX)/lib/
	install -m 644 include/tasklist.h $(DESTDIR)$(PREFIX)/include/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' -e 's|@NATIVE_LIBS@|$(NATIVE_LIBS)|' \
		tasklist.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/tasklist.pc
	install -d $(DESTDIR)$(PREFIX)/share/doc/tasklist
	install -m 644 LICENSE packaging/THIRD-PARTY-NOTICES.txt $(DESTDIR)$(PREFIX)/share/doc/tasklist/

clean:
	$(CARGO) clean
