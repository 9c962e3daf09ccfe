from setuptools import setup

setup(cffi_modules=["build_trampoline.py:ffibuilder"])
