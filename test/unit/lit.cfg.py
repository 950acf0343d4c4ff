# lit configuration for the GoogleTest unit tests (run by check-vmgpu).

import os

import lit.formats

config.name = "VMGPU-Unit"
config.suffixes = []
config.test_exec_root = os.path.join(config.vmgpu_obj_root, "test", "unit")
config.test_source_root = config.test_exec_root
config.test_format = lit.formats.GoogleTest(".", "Tests")

# Engines built with default options cache inside the build tree, never in
# the user's cache; tests of the cache itself use their own directories.
config.environment["VMGPU_CACHE_DIR"] = os.path.join(
    config.vmgpu_obj_root, "test", "unit", "vmgpu-cache")
