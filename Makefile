# The verbs a person types. Everything builds into target/; nothing outside the repository
# is touched except by `make install`.
#
#   make demo      build everything, start the emulator, run the examples (C, C++, Python, Go)
#                  with OAuth and with cookie login, stop the emulator
#   make test      every test tier: lint, Rust, C/C++ under sanitizers and valgrind, Python, Go
#   make install   PREFIX=/usr/local (LIBDIR, INCLUDEDIR, DOCDIR, DESTDIR, SHARED=0):
#                  the versioned shared library with its SONAME symlinks, the static library,
#                  the header, tasklist.pc, the CMake package, LICENSE and the notices
#   make release-check  what a release needs beyond `make test` (about 6 minutes the first
#                  time): installs into temporary prefixes and builds C programs with
#                  pkg-config and CMake; builds the Go module from a module proxy and from
#                  vendor/; builds the manylinux wheel (tools from PyPI), checks it with
#                  auditwheel and searches with it from a fresh venv
#   make notices   regenerate packaging/THIRD-PARTY-NOTICES.txt after changing dependencies
#   make bench     libtasklist (C, Python, Go) against the Node SDK, requests and wrk;
#                  rewrites docs/benchmarks.md and its chart (about 10 minutes)
#   make header    regenerate include/tasklist.h after changing src/ffi

PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DOCDIR ?= $(PREFIX)/share/doc/tasklist
# SHARED=0 installs the static library only (autotools' --disable-shared): then
# `pkg-config --static` links it statically.
SHARED ?= 1
CARGO ?= cargo
PYTHON ?= python3
# cargo's target directory: ./target unless CARGO_TARGET_DIR says otherwise (absolute).
TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)
RELEASE := $(TARGET_DIR)/release
# What a static link of the Rust library needs on Linux (cargo's native-static-libs).
NATIVE_LIBS := -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
CFLAGS_STRICT := -Wall -Wextra -Werror -pedantic -O2 -I$(CURDIR)/include
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
MAJOR := $(word 1,$(subst ., ,$(VERSION)))
MINOR := $(word 2,$(subst ., ,$(VERSION)))
# The SONAME's version, as build.rs sets it: 0.MINOR while MAJOR is 0, else MAJOR.
SOVERSION := $(if $(filter 0,$(MAJOR)),0.$(MINOR),$(MAJOR))

.PHONY: all build examples demo test test-tools lint licence-check notices test-rust test-c test-python test-go header install clean auth-server-deps bench release-check go-module

all: build

build:
	$(CARGO) build --release -p tasklist-client -p tasklist-emulator
	@# The name the SONAME asks for, so programs linked against the build tree run.
	ln -sf libtasklist.so $(RELEASE)/libtasklist.so.$(SOVERSION)

examples: build go-module
	mkdir -p target/examples
	cc -std=c11 $(CFLAGS_STRICT) examples/c/tasklist_example.c $(RELEASE)/libtasklist.a $(NATIVE_LIBS) -o target/examples/tasklist_example
	cc -std=c11 $(CFLAGS_STRICT) examples/c/tasklist_v2_example.c $(RELEASE)/libtasklist.a $(NATIVE_LIBS) -o target/examples/tasklist_v2_example
	c++ -std=c++17 $(CFLAGS_STRICT) examples/cpp/tasklist_example.cpp $(RELEASE)/libtasklist.a $(NATIVE_LIBS) -o target/examples/tasklist_example_cpp

demo: examples
	TASKLIST_RELEASE_DIR=$(RELEASE) bash examples/demo.sh

test: test-tools lint licence-check test-rust test-c test-python test-go

# What `make test` needs besides cargo, go and python3 (tool: Debian package), checked first
# so that a fresh machine hears it in one line instead of failing minutes later.
# TASKLIST_SKIP_PROXY_TESTS=1 drops tinyproxy (tests/proxy.rs then skips).
TEST_TOOLS := gcc:build-essential g++:build-essential valgrind:valgrind curl:curl nm:binutils \
	node:nodejs npm:npm $(if $(filter 1,$(TASKLIST_SKIP_PROXY_TESTS)),,tinyproxy:tinyproxy)
test-tools:
	@missing=""; for entry in $(TEST_TOOLS); do \
		command -v "$${entry%%:*}" >/dev/null 2>&1 || missing="$$missing $${entry#*:}"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "make test needs more tools; install them first: apt-get install -y$$(echo $$missing | tr ' ' '\n' | sort -u | sed 's/^/ /' | tr -d '\n')"; \
		exit 1; \
	fi

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
	@# The header stays usable from the oldest dialects a C or C++ user may compile with.
	gcc -std=c89 -pedantic -Wall -Wextra -Werror -fsyntax-only -x c include/tasklist.h
	g++ -std=c++98 -pedantic -Wall -Wextra -Werror -fsyntax-only -x c++ include/tasklist.h
	bash tests/c/run.sh $(RELEASE)

test-python: build
	$(PYTHON) -m pytest --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet pytest
	TASKLIST_LIBRARY=$(RELEASE)/libtasklist.so TASKLIST_EMULATOR=$(RELEASE)/tasklist-emulator \
		$(PYTHON) -m pytest -q bindings/python/tests

test-go: go-module
	cd bindings/go && go vet ./...
	cd bindings/go && TASKLIST_EMULATOR=$(RELEASE)/tasklist-emulator go test -race -count=1 ./...
	cd bindings/go && TASKLIST_EMULATOR=$(RELEASE)/tasklist-emulator GODEBUG=cgocheck=1 go test -count=1 ./...

bench: go-module
	bash bench/run.sh

header:
	TASKLIST_UPDATE_HEADER=1 $(CARGO) build -p tasklist-client

install: build
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(LIBDIR)/cmake/tasklist $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(DOCDIR)
	install -m 644 $(RELEASE)/libtasklist.a $(DESTDIR)$(LIBDIR)/
ifneq ($(SHARED),0)
	install -m 755 $(RELEASE)/libtasklist.so $(DESTDIR)$(LIBDIR)/libtasklist.so.$(VERSION)
	ln -sf libtasklist.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libtasklist.so.$(SOVERSION)
	ln -sf libtasklist.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libtasklist.so
endif
	install -m 644 include/tasklist.h $(DESTDIR)$(INCLUDEDIR)/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
		-e 's|@VERSION@|$(VERSION)|' -e 's|@NATIVE_LIBS@|$(NATIVE_LIBS)|' \
		tasklist.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/tasklist.pc
	sed -e 's|@VERSION@|$(VERSION)|' -e 's|@NATIVE_LIBS@|$(NATIVE_LIBS)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@SOVERSION@|$(SOVERSION)|' \
		packaging/tasklistConfig.cmake.in > $(DESTDIR)$(LIBDIR)/cmake/tasklist/tasklistConfig.cmake
	sed -e 's|@VERSION@|$(VERSION)|' packaging/tasklistConfigVersion.cmake.in \
		> $(DESTDIR)$(LIBDIR)/cmake/tasklist/tasklistConfigVersion.cmake
	install -m 644 LICENSE packaging/THIRD-PARTY-NOTICES.txt $(DESTDIR)$(DOCDIR)/

# The Go module self-contained, as its release zip carries it (and cgo.go links it): the
# header, this platform's static library under lib/<GOOS>_<GOARCH>/, the licence files.
GO_PLATFORM = $(shell go env GOOS)_$(shell go env GOARCH)
go-module: build
	install -d bindings/go/include bindings/go/lib/$(GO_PLATFORM)
	cp -p include/tasklist.h bindings/go/include/
	cp -p $(RELEASE)/libtasklist.a bindings/go/lib/$(GO_PLATFORM)/
	cp -p LICENSE packaging/THIRD-PARTY-NOTICES.txt bindings/go/

# Slower checks than `make test`, each on what a user installs rather than on the tree.
release-check: build go-module
	bash packaging/check-install.sh
	bash packaging/check-go-module.sh
	bash packaging/check-wheel.sh $(RELEASE)

clean:
	$(CARGO) clean
