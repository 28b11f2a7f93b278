# Entry points for a fresh machine (see README.md).
#   make demo   install everything (idempotent) and fuse the bundled demo pair
#   make test   install everything (idempotent) and run the test suite
VENV ?= .venv
PY := $(VENV)/bin/python
DEMO_CONFIG ?= configs/fusion/defusionpp_vit-tiny-p16_zeroshot_msrs361.py
DEMO_CKPT ?= checkpoints/defusionpp_vit-tiny-p16_shared-pretext-516e0ce3.pth

.PHONY: install demo test

install:
	VENV=$(VENV) bash tools/install.sh

demo: install
	$(PY) tools/fuse.py $(DEMO_CONFIG) $(DEMO_CKPT) \
		demo/00055D_ir.png demo/00055D_vi.jpg --task ivf \
		-o outputs/demo/00055D_fused.png --save-components --force

test: install
	$(PY) -m pytest tests -q -p no:cacheprovider
