"""The LangGraph oracle: asks the real LangGraph library which graph each fixture module builds.

Usage (with the interpreter printed by scripts/oracle-venv.sh):

    test/.venv-oracle/bin/python test/oracle/dump_graphs.py FILE.py [FILE.py ...]

For every file it imports the module from its path (its folder on sys.path, so `from subgraphs.kyc import
kyc_graph` works), collects the module-level variables that hold a `StateGraph` builder or a compiled graph
*created by that module* (an imported subgraph belongs to the module that built it), and prints ONE JSON
document on stdout:

    [{"file": "<path as given>",
      "graphs": [{"builder": "builder", "compiled": "graph", "name": "LangGraph",
                  "nodes": ["a", "b"],
                  "edges": [{"source": "a", "target": "END", "conditional": false, "data": null}],
                  "entry": ["a"],
                  "dynamic": [], "implicit_end": []}]},
     {"file": "<path>", "error": "ImportError: ..."}]

Nodes are sorted and exclude `__start__`/`__end__`; `__end__` is written "END"; edges from `__start__` are
listed only in `entry`. Edges come from `compiled.get_graph()` (no xray): what LangGraph itself draws. A
builder without a compiled twin is compiled here with `.compile()`.

Two keys are read from the builder, not the drawing, to tell drawing artefacts from declarations:
`dynamic` lists the sources ("START" for a conditional entry) of conditional edges with no path map and no
`Literal` return annotation (LangGraph draws nothing for them, and nothing downstream that only they reach);
`implicit_end` lists the nodes whose drawn `-> END` edge LangGraph added only because the node has no other
drawn way out (no add_edge/path map/ends declares END for it).

Nothing reaches the network: provider packages (langchain_openai, langchain_anthropic, ...) are replaced
by shims whose chat models are langchain_core fakes, `init_chat_model` is offline, and sockets refuse to
connect. Whatever the fixtures print goes to stderr, so stdout is only the JSON document.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import socket
import sys
import sysconfig
import traceback
import types
import warnings
from pathlib import Path
from typing import Any

for _key in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GOOGLE_API_KEY", "AZURE_OPENAI_API_KEY",
             "GROQ_API_KEY", "MISTRAL_API_KEY", "TAVILY_API_KEY"):
    os.environ.setdefault(_key, "dummy")
os.environ["LANGSMITH_TRACING"] = "false"
os.environ["LANGCHAIN_TRACING_V2"] = "false"
os.environ.setdefault("AZURE_OPENAI_ENDPOINT", "http://127.0.0.1:9")
os.environ.setdefault("OPENAI_API_VERSION", "2024-10-21")
warnings.simplefilter("ignore")


def _no_network(*_args: Any, **_kwargs: Any) -> Any:
    raise OSError("the LangGraph oracle never uses the network")


socket.socket.connect = _no_network  # type: ignore[method-assign]
socket.socket.connect_ex = _no_network  # type: ignore[method-assign]
socket.create_connection = _no_network  # type: ignore[assignment]

from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel  # noqa: E402
from langchain_core.messages import AIMessage  # noqa: E402
from langchain_core.runnables import RunnableLambda  # noqa: E402
from langgraph.graph import StateGraph  # noqa: E402
from langgraph.graph.state import CompiledStateGraph  # noqa: E402


# ---------------------------------------------------------------------------------------------------------
# Provider shims


class _ShimChatModel(FakeMessagesListChatModel):
    """A provider chat model stand-in: takes any constructor arguments, answers 'ok', never calls out."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(responses=[AIMessage(content="ok")])

    def bind_tools(self, tools: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        return self

    def with_structured_output(self, schema: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        return RunnableLambda(lambda _input: None, name="structured_output")


_PROVIDERS = {
    "langchain_openai": ["ChatOpenAI", "AzureChatOpenAI"],
    "langchain_anthropic": ["ChatAnthropic"],
    "langchain_google_genai": ["ChatGoogleGenerativeAI"],
    "langchain_aws": ["ChatBedrock", "ChatBedrockConverse"],
    "langchain_ollama": ["ChatOllama"],
    "langchain_mistralai": ["ChatMistralAI"],
    "langchain_groq": ["ChatGroq"],
}


def _init_chat_model(model: str | None = None, **_kwargs: Any) -> _ShimChatModel:
    return _ShimChatModel()


def _install_shims() -> None:
    for module_name, classes in _PROVIDERS.items():
        module = types.ModuleType(module_name)
        module.__doc__ = "AgentGraph oracle shim: offline fake chat models."
        for class_name in classes:
            setattr(module, class_name, type(class_name, (_ShimChatModel,), {"__module__": module_name}))
        sys.modules[module_name] = module
    # init_chat_model: patch the real one (and every langchain module that imported it, create_agent's
    # factory and middleware included) when langchain is installed, else provide the module.
    try:
        import langchain.chat_models  # type: ignore[import-not-found]  # noqa: F401
    except ImportError:
        package = types.ModuleType("langchain")
        package.__path__ = []  # a package, so `langchain.chat_models` imports
        chat_models = types.ModuleType("langchain.chat_models")
        chat_models.init_chat_model = _init_chat_model  # type: ignore[attr-defined]
        package.chat_models = chat_models  # type: ignore[attr-defined]
        sys.modules["langchain"] = package
        sys.modules["langchain.chat_models"] = chat_models
        return
    with contextlib.suppress(ImportError):
        import langchain.agents  # noqa: F401
        import langchain.agents.middleware  # noqa: F401
    for name, module in list(sys.modules.items()):
        if (name == "langchain" or name.startswith("langchain.")) and hasattr(module, "init_chat_model"):
            module.init_chat_model = _init_chat_model  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------------------
# Which module created a graph: an imported subgraph is reported by the module that built it, not by every
# module that imports it.

_ORIGIN = "_agentgraph_oracle_origin"
# Installed libraries (langgraph.prebuilt's create_react_agent, langchain.agents' create_agent) build graphs
# of their own; those are agent nodes of the fixture, not graphs of it.
_LIBRARY_DIRS = tuple({os.path.join(sysconfig.get_paths()[k], "") for k in ("purelib", "platlib")})


def _caller_module() -> str | None:
    """The module whose code called StateGraph(...); None when an installed library did."""
    frame = sys._getframe(2)
    while frame is not None and frame.f_code.co_filename == __file__:
        frame = frame.f_back
    if frame is None or frame.f_code.co_filename.startswith(_LIBRARY_DIRS):
        return None
    return frame.f_globals.get("__name__")


_original_init = StateGraph.__init__


def _tracking_init(self: StateGraph, *args: Any, **kwargs: Any) -> None:
    _original_init(self, *args, **kwargs)
    setattr(self, _ORIGIN, _caller_module())


# A compiled graph belongs where its builder was made (compile() and with_config() copies keep `.builder`).
StateGraph.__init__ = _tracking_init  # type: ignore[method-assign]


def _origin(value: Any) -> str | None:
    if isinstance(value, CompiledStateGraph):
        value = value.builder
    return getattr(value, _ORIGIN, None)


# ---------------------------------------------------------------------------------------------------------
# Dumping


def _end(node_id: str) -> str:
    return "END" if node_id == "__end__" else node_id


def _describe(compiled: CompiledStateGraph, builder_name: str | None, compiled_name: str | None) -> dict:
    drawn = compiled.get_graph()
    nodes = sorted(n for n in drawn.nodes if n not in ("__start__", "__end__"))
    entry: list[str] = []
    edges: list[dict] = []
    for edge in drawn.edges:
        target = _end(edge.target)
        if edge.source == "__start__":
            if target not in entry:
                entry.append(target)
            continue
        data = edge.data
        edges.append({
            "source": edge.source,
            "target": target,
            "conditional": bool(edge.conditional),
            "data": data if data is None or isinstance(data, (str, int, float, bool)) else str(data),
        })
    edges.sort(key=lambda e: (e["source"], e["target"], e["conditional"], str(e["data"])))
    builder: StateGraph = compiled.builder
    dynamic = sorted(
        ("START" if source == "__start__" else source)
        for source, branches in builder.branches.items()
        if any(branch.ends is None for branch in branches.values())
    )
    implicit_end = sorted(
        e["source"] for e in edges if e["target"] == "END" and not _declares_end(builder, e["source"])
    )
    return {
        "builder": builder_name,
        "compiled": compiled_name,
        "name": compiled.name,
        "nodes": nodes,
        "edges": edges,
        "entry": sorted(entry),
        "dynamic": dynamic,
        "implicit_end": implicit_end,
    }


def _declares_end(builder: StateGraph, node: str) -> bool:
    """Whether the builder itself says `node` may go to END (add_edge / set_finish_point, a path map or
    Literal return, `destinations=` or a `-> Command[Literal[...]]` annotation)."""
    if (node, "__end__") in builder.edges:
        return True
    for branch in builder.branches.get(node, {}).values():
        if branch.ends is not None and "__end__" in branch.ends.values():
            return True
    spec = builder.nodes.get(node)
    ends = getattr(spec, "ends", None) or ()
    return "__end__" in (ends.keys() if isinstance(ends, dict) else ends)


def _dump_module(module: types.ModuleType) -> list[dict]:
    own = module.__name__
    builders: list[tuple[str, StateGraph]] = []
    compileds: list[tuple[str, CompiledStateGraph]] = []
    seen: set[int] = set()
    for name, value in list(vars(module).items()):
        if id(value) in seen or _origin(value) != own:
            continue
        if isinstance(value, CompiledStateGraph):
            seen.add(id(value))
            compileds.append((name, value))
        elif isinstance(value, StateGraph):
            seen.add(id(value))
            builders.append((name, value))
    builder_names = {id(b): n for n, b in builders}
    graphs = []
    twinned: set[int] = set()
    for name, compiled in compileds:
        twinned.add(id(compiled.builder))
        graphs.append(_describe(compiled, builder_names.get(id(compiled.builder)), name))
    for name, builder in builders:
        if id(builder) not in twinned:
            graphs.append(_describe(builder.compile(), name, None))
    return graphs


def dump_file(path: str, index: int) -> dict:
    file = Path(path).resolve()
    folder = str(file.parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    module_name = f"_agentgraph_fixture_{index}_{file.stem}"
    try:
        spec = importlib.util.spec_from_file_location(module_name, file)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot import {path}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        with contextlib.redirect_stdout(sys.stderr):
            spec.loader.exec_module(module)
            graphs = _dump_module(module)
        return {"file": path, "graphs": graphs}
    except BaseException as error:  # noqa: BLE001 - one broken fixture must not hide the others
        if isinstance(error, KeyboardInterrupt):
            raise
        traceback.print_exc(file=sys.stderr)
        return {"file": path, "error": f"{type(error).__name__}: {error}"}


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    _install_shims()
    results = [dump_file(path, i) for i, path in enumerate(argv)]
    json.dump(results, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
