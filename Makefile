# Salon front door. `make run` and `make test` work on a fresh Debian 12 machine: they install
# what is missing (apt-get, npm), build, and run.
SHELL := /bin/bash
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
DEB_PACKAGES := build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev \
  libboost1.81-dev libssl-dev libsqlite3-dev libsodium-dev libtomlplusplus-dev libspdlog-dev \
  libfmt-dev libcli11-dev libgtest-dev libgmock-dev libbenchmark-dev sqlite3 zlib1g-dev \
  libboost-json1.81-dev libhyperscan-dev chromium

.PHONY: all deps build native web run test unit integration web-test fuzz asan bench format clean

all: build

# Installs only what is missing, so repeated runs cost nothing.
deps:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing: $$missing"; \
	  SUDO=$$( [ $$(id -u) -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
	@command -v npm >/dev/null || { SUDO=$$( [ $$(id -u) -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nodejs npm; }

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS)

build: native web

native: deps $(BUILD)/build.ninja
	ninja -C $(BUILD) -j $(JOBS)

# The web client (web/, Vite + Preact), served by salon from web/dist.
web/node_modules/.package-lock.json: web/package-lock.json
	cd web && npm ci --no-audit --no-fund

web: deps web/node_modules/.package-lock.json
	cd web && npm run build

run: build
	mkdir -p data
	$(BUILD)/salon --config salon.example.toml --data-dir ./data

test: build
	cd $(BUILD) && ctest --output-on-failure -j 2
	$(MAKE) web-test

# Web client unit tests (vitest) and browser end-to-end tests (playwright-core driving Debian's
# Chromium against the real salon binary).
web-test: web
	cd web && npm run test:unit
	cd web && SALON_BIN=$(CURDIR)/$(BUILD)/salon npm run test:e2e

unit: build
	$(BUILD)/unit_tests

integration: build
	$(BUILD)/integration_tests

# Address and undefined-behaviour sanitizers over the whole test suite.
asan: deps
	cmake -S . -B build-asan -G Ninja -DSALON_SANITIZE=ON -DSALON_WERROR=ON -DCMAKE_BUILD_TYPE=Debug
	ninja -C build-asan -j $(JOBS)
	cd build-asan && ctest --output-on-failure -j 2

# libFuzzer on the IRC line parser; FUZZ_SECONDS bounds the run.
FUZZ_SECONDS ?= 60
fuzz: deps
	CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DSALON_FUZZ=ON
	ninja -C build-fuzz fuzz_irc_parser fuzz_channel_modes
	mkdir -p fuzz-corpus/irc_parser fuzz-corpus/channel_modes
	build-fuzz/fuzz_irc_parser -max_total_time=$(FUZZ_SECONDS) fuzz-corpus/irc_parser tests/fuzz/corpus/irc_parser
	build-fuzz/fuzz_channel_modes -max_total_time=$(FUZZ_SECONDS) fuzz-corpus/channel_modes tests/fuzz/corpus/channel_modes

bench: build
	bench/run.sh

format:
	clang-format -i $$(git ls-files '*.cc' '*.h')

clean:
	rm -rf $(BUILD) build-asan build-fuzz web/dist
