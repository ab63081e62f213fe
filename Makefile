# Makefile: the two front doors (`make demo`, `make test`) and the build/bench plumbing around Meson.
# Every target first runs `make deps`, which installs what is missing and is a no-op afterwards.
CPUS := x86_64 aarch64 riscv64 loongarch64
BUILD := build

.PHONY: all deps build build-host $(addprefix build-,$(CPUS)) test test-unit test-qemu demo bench clean

all: build

deps:
	@scripts/deps.sh

$(BUILD)/host/build.ninja: | deps
	meson setup $(BUILD)/host

$(addprefix $(BUILD)/,$(addsuffix /build.ninja,$(CPUS))): $(BUILD)/%/build.ninja: | deps
	meson setup --cross-file arch/$*/cross.ini $(BUILD)/$*

build-host: $(BUILD)/host/build.ninja
	meson compile -C $(BUILD)/host

$(addprefix build-,$(CPUS)): build-%: $(BUILD)/%/build.ninja
	meson compile -C $(BUILD)/$*

build: build-host $(addprefix build-,$(CPUS))

test-unit: build-host
	scripts/test.sh $(BUILD)/host

test-qemu: $(addprefix build-,$(CPUS))
	scripts/test.sh $(foreach c,$(CPUS),$(BUILD)/$(c) --suite qemu --)

test: build
	scripts/test.sh $(BUILD)/host -- $(foreach c,$(CPUS),$(BUILD)/$(c) --suite qemu --)

# The main job: a local TLS registry, Debian's kernel + a marker initrd pushed with oras and signed with
# cosign, a signed plan, and the x86_64 loader in QEMU verifying all of it up to the userspace marker.
demo: build-x86_64
	tests/e2e/e2e.sh x86_64 ok $(BUILD)/x86_64/boot/BOOTX64.EFI

bench: build
	tests/bench/boot-bench.sh $(CPUS)
	tests/bench/net-bench.sh 100
	tests/bench/https-bench.sh 100
	tests/bench/boot-e2e-bench.sh 100
	tests/bench/fs-bench.sh
	tests/bench/disk-bench.sh

clean:
	rm -rf $(BUILD)
