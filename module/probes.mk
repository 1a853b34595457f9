# SPDX-License-Identifier: GPL-2.0
# Included by the Kbuild files with LW_MODULE_DIR set to this directory:
# what the kernel has is decided by probes compiled with its own compiler
# and flags (conftest.sh) into lw_config.h, which compat.h includes.
LW_PROBE_FLAGS := $(LINUXINCLUDE) $(KBUILD_CPPFLAGS) $(KBUILD_CFLAGS) \
		  $(KBUILD_CFLAGS_MODULE) -DMODULE \
		  -DKBUILD_MODNAME='"lw_probe"' -DKBUILD_BASENAME='"lw_probe"'
$(shell $(CONFIG_SHELL) $(LW_MODULE_DIR)/conftest.sh \
	$(LW_MODULE_DIR)/lw_config.h "$(CC)" $(LW_PROBE_FLAGS))
