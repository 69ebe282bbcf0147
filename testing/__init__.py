"""What tests share: the test world, personas' API tokens, the VN clock, stock histories.

Test modules import from here (or get fixtures from the root conftest.py, which registers the
fixture modules of this package), never from one another: `lib/tests/test_test_modules.py`
fails when a test module imports another test module. Nothing here is used by the project.
"""
