"""Import a script of ``tools/`` as a module (the tools are not a package)."""
import importlib.util
from pathlib import Path

TOOLS = Path(__file__).resolve().parents[1] / 'tools'


def load_tool(*parts):
    """``load_tool('analysis_tools', 'learning_curve.py')`` -> the module."""
    path = TOOLS.joinpath(*parts)
    spec = importlib.util.spec_from_file_location(
        'defusion_tool_' + path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
