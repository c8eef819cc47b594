"""A submodule of the import-only `tokenizers` placeholder (see __init__.py): its names are the package's, and using
any of them raises."""

from . import __getattr__  # noqa: F401  (PEP 562: the module-level __getattr__ answers every name asked of this module)
