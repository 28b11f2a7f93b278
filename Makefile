# Entry points for a fresh machine (see README.md).
#   make demo   install everything (idempotent) and fuse the bundled demo pair
#   make test   install everything (idempotent) and run the test suite
VENV ?= .venv
PY := $(VENV)/bin/python
# The recommended model of model-index.yml (config + committed checkpoint).
DEMO_MODEL ?= defusionpp_vit-tiny-p16_shared

.PHONY: install demo test

install:
	VENV=$(VENV) bash tools/install.sh

demo: install
	$(PY) tools/fuse.py demo/00055D_ir.png demo/00055D_vi.jpg \
		--model $(DEMO_MODEL) --task ivf \
		-o outputs/demo/00055D_fused.png --save-components --force

test: install
	$(PY) -m pytest tests -q -p no:cacheprovider
