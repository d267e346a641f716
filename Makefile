# RatingRL: the two commands a newcomer needs are `make run` and `make test`.
# Every target installs what it needs first (Debian packages, the DMC models).

SHELL := /bin/bash
SWIFT ?= swift
# Rendering needs EGL and Mesa (headless OpenGL; OSMesa for --gl osmesa), zlib (PNG) and ffmpeg (videos; ffprobe in tests);
# GLFW and Xvfb for --gl glfw and `view` (windows, under xvfb-run in tests); xdotool types the viewer's keys in tests.
APT_PACKAGES := libmujoco-dev libopenblas-dev libxml2 python3 python3-pip ca-certificates \
	libegl-dev libegl-mesa0 libgl1-mesa-dri libosmesa6-dev zlib1g-dev ffmpeg libglfw3-dev xvfb xauth xdotool libsqlite3-dev
MODELS_STAMP := models/quadruped.xml
RELEASE_BIN := .build/release/ratingrl
# One build for every target: tests run optimised (learning tests take
# minutes unoptimised), -enable-testing lets that release build serve the
# tests and the CLI, and `make release` builds the tests too. Two different
# commands (`swift build` for the CLI, `swift test` or `--build-tests` for the
# tests) made each target recompile what the other had built: `swift test`
# adds its own -enable-testing to every module, and SwiftPM rebuilds some
# dependencies when tests join or leave the build. So every target runs this
# one command and tests run with --skip-build; check-no-rebuild.sh holds it.
RELEASE_FLAGS := -c release -Xswiftc -enable-testing
RELEASE_BUILD := $(SWIFT) build $(RELEASE_FLAGS) --build-tests
RUN_TESTS := $(SWIFT) test $(RELEASE_FLAGS) --skip-build --disable-swift-testing
# One BLAS thread per process: runs must be deterministic.
export OPENBLAS_NUM_THREADS := 1
# OpenBLAS 0.3.21 falls back to its slowest kernel ("Prescott", ~4x slower
# sgemm) on CPUs it does not recognise, such as some recent Xeons. Runs and
# benchmarks (never tests) pick the kernel from the CPU's features unless
# OPENBLAS_CORETYPE is already set in the environment.
ifeq ($(origin OPENBLAS_CORETYPE),undefined)
BLAS_CORE := $(shell grep -qw avx512f /proc/cpuinfo 2>/dev/null && echo SkylakeX || { grep -qw avx2 /proc/cpuinfo 2>/dev/null && echo Haswell; })
RUN_ENV := $(if $(BLAS_CORE),OPENBLAS_CORETYPE=$(BLAS_CORE))
endif

.PHONY: all deps test-deps models build release run test test-slurm golden bench bench-ppo bench-gemm clean help plot-deps tensorboard

# Installs the Debian packages of $(1) that are missing (sudo when not root); $(2) names the target.
define apt_install
	@missing=""; \
	for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [[ -n "$$missing" ]]; then \
		echo "make $(2): installing$$missing"; \
		sudo=""; [[ $$(id -u) -ne 0 ]] && sudo="sudo"; \
		$$sudo apt-get update -qq && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

all: build

help:
	@echo "make run     install what is missing, build (release) and run the default job"
	@echo "make test    install what is missing and run the test suite"
	@echo "make test-slurm  sweeps through a real Slurm started on this machine (also part of make test)"
	@echo "make golden  rewrite the learning-curve goldens (Tests/Goldens) on this machine; commit them"
	@echo "make bench   env vs raw MuJoCo; network kernels vs sgemm; reward round time vs buffer; headless rendering; rating server"
	@echo "make bench-ppo  our PPO vs Stable-Baselines3 PPO, side by side"
	@echo "make bench-gemm the PPO update's GEMM shapes, OpenBLAS vs libxsmm"
	@echo "make models  fetch the DeepMind Control Suite XML models into models/"
	@echo "make deps    install the Debian packages the build needs"
	@echo "make plot-deps  the project's Python environment ($(PLOT_VENV)): figures, TensorBoard, the Python loaders"
	@echo "make tensorboard [LOGDIR=runs] [PORT=6006]  TensorBoard on the runs under LOGDIR, live while they train"

deps:
	$(call apt_install,$(APT_PACKAGES),deps)
	@command -v $(SWIFT) >/dev/null || { echo "make deps: no Swift toolchain found; install Swift 6 (swift.org) and put it on PATH" >&2; exit 1; }

models: $(MODELS_STAMP)

$(MODELS_STAMP): scripts/fetch-models.sh | deps
	./scripts/fetch-models.sh models

build: release

release: deps
	$(RELEASE_BUILD)

run: release models
	$(RUN_ENV) $(RELEASE_BIN) train --task cartpole-balance --method ours --classes 4 --preset quick --steps 500000 --seed 0 --out runs/make-run --overwrite

# What only the tests need: Debian's Chromium drives the rating page headless.
TEST_APT_PACKAGES := chromium

test-deps: deps
	$(call apt_install,$(TEST_APT_PACKAGES),test)

test: release test-deps models plot-deps
	$(RUN_TESTS)
	./scripts/check-target-imports.py
	./scripts/check-no-rebuild.sh $(RELEASE_BUILD)
	./scripts/test-slurm.sh

# `ratingrl sweep --backend slurm` against a real one-machine Slurm (installs
# slurm-wlm and munge; about a minute); part of `make test`.
test-slurm: release models
	./scripts/test-slurm.sh

# Reruns the learning-curve suite of `make test` and rewrites its goldens with
# this machine's curves and fingerprint (about a minute). Like the tests, it
# runs without OPENBLAS_CORETYPE so the fingerprint matches `make test`'s.
golden: release models
	env -u OPENBLAS_CORETYPE RATINGRL_WRITE_GOLDENS=1 $(RUN_TESTS) --filter LearningCurveRegressionTests
	@git diff --stat -- Tests/Goldens 2>/dev/null || true

bench: release models test-deps
	$(RUN_ENV) $(RELEASE_BIN) bench env --task all
	$(RUN_ENV) $(RELEASE_BIN) bench nn
	$(RUN_ENV) $(RELEASE_BIN) bench reward --segments 500,1000,2000 --epochs 3
	$(RUN_ENV) $(RELEASE_BIN) bench render --task all
	$(RUN_ENV) $(RELEASE_BIN) bench rate

# Our PPO next to Stable-Baselines3 PPO (a Python 3.10 venv, ~6 GB, is set up
# on first use), same hyperparameters, same run; then the paper preset's cost.
bench-ppo: release models
	$(RUN_ENV) scripts/bench-ppo.sh

# The PPO update's GEMM shapes, OpenBLAS against libxsmm (Debian's libxsmm-dev),
# to decide whether small-GEMM kernels are worth adopting.
GEMM_APT_PACKAGES := gcc libc6-dev libopenblas-dev libxsmm-dev

bench-gemm:
	$(call apt_install,$(GEMM_APT_PACKAGES),bench-gemm)
	@mkdir -p .build
	gcc -O2 -o .build/bench-small-gemm scripts/bench/small-gemm.c -I/usr/include/libxsmm -lxsmm -lxsmmext -lopenblas -lm -lpthread -ldl
	$(RUN_ENV) .build/bench-small-gemm

# `ratingrl plot` draws with matplotlib (Debian's) and rliable (PyPI) in a venv
# that sees Debian's scientific packages; TensorBoard lives there too, and so
# does safetensors for python/ratingrl_export.py (`ratingrl export`'s loader). The stamp makes a second run instant;
# it is redone when the pinned requirements change.
PLOT_VENV := .venv-plot
PLOT_STAMP := $(PLOT_VENV)/.installed
PLOT_APT_PACKAGES := python3 python3-venv python3-pip python3-matplotlib python3-numpy python3-scipy \
	python3-pandas python3-seaborn python3-statsmodels python3-absl fonts-dejavu-core

plot-deps: $(PLOT_STAMP)

$(PLOT_STAMP): scripts/plot/requirements.txt
	$(call apt_install,$(PLOT_APT_PACKAGES),plot-deps)
	[[ -x $(PLOT_VENV)/bin/python ]] || /usr/bin/python3 -m venv --system-site-packages $(PLOT_VENV)
	$(PLOT_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r scripts/plot/requirements.txt
	$(PLOT_VENV)/bin/python -c "import matplotlib, rliable.library, rliable.metrics, tensorboard, safetensors.numpy"
	touch $@

# Every run writes its scalars to tb/ in its folder as it trains; TensorBoard
# shows a whole sweep, one run per folder.
LOGDIR ?= runs
PORT ?= 6006
tensorboard: plot-deps
	$(PLOT_VENV)/bin/tensorboard --logdir "$(LOGDIR)" --port $(PORT)

clean:
	rm -rf .build
