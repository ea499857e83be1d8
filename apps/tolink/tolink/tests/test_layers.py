"""The app's packages form layers with one direction, read from the source (no site needed).

Every `.py` of the app is parsed; every `import` of `tolink.*`, at module level or inside a
function, is an edge of the import graph (module granularity, as written: a package's
`__init__` is not counted as imported by its submodules). The test fails on:

(a) an import that goes up a layer, or sideways between packages of one layer where SIDEWAYS
    does not allow it (production code only: tests may import anything);
(b) a cycle in the import graph of the app (every module, tests included);
(c) production code importing test code (`tolink.tests...`, `tolink.<pkg>.tests...`, `test_*`);
(d) an import of `tolink.*` inside a function of production code that INNER_IMPORTS does not list
    with its reason: imports belong at the top of the module.

Where a package may not import another, the layer below names the layer above by a dotted path
when it must call it, as hooks.py does (the access policy's rules, the endpoint registry in
tolink.permissions.allowlist, the care path's reach in tolink.permissions.links): those are data,
read at run time, not imports.
"""

import ast
import os
import unittest
from collections import defaultdict

APP = "tolink"
APP_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))

# Where every top-level package or module of the app sits, bottom first. A module imports from its
# own package, from lower layers, and sideways only where SIDEWAYS says so.
LAYERS: tuple[tuple[str, frozenset[str]], ...] = (
	# the package itself: its version
	("package", frozenset({"__init__"})),
	# services, beside the domain: usable by every domain package, importing none of them; among
	# themselves in this order (who the user is and the accounts' rules; the access log and the
	# data subjects' rights; the access policy, the request gate and the link checks)
	("security", frozenset({"security"})),
	("privacy", frozenset({"privacy"})),
	("permissions", frozenset({"permissions"})),
	# the domain: the people and the directory at the bottom, what is built on them above
	("registry, network", frozenset({"registry", "network"})),
	(
		"care path, distribution, vouchers, helpline, pathways",
		frozenset({"care_path", "distribution", "vouchers", "helpline", "pathways"}),
	),
	# monitoring: the funding programmes and the participations in them, which read every part of
	# the domain below (the parts point at a Funding Programme by a Link field only)
	("monitoring", frozenset({"monitoring"})),
	# the public methods, one module per audience
	("api", frozenset({"api"})),
)
# The app's wiring and tools: import anything but test code; no layer imports them (but HEALTH_OK).
APP_LEVEL = frozenset(
	{
		"hooks",
		"setup",
		"commands",
		"patches",
		"benchmarks",
		"health",
		"config",
		"templates",
		"www",
		"devtools",
	}
)
# Test code: imports anything; nothing of production imports it.
TEST_PACKAGES = frozenset({"tests"})

# (importer, imported) top-level packages of one layer, or a layer importing an app-level module
SIDEWAYS: dict[tuple[str, str], str] = {
	(
		"registry",
		"network",
	): "To Link Settings (the app's settings, e.g. the helpdesk contact) live in network",
	("api", "health"): "the public health endpoint answers tolink.health's checks",
}

# Imports of tolink.* left inside functions of production code: (module, imported module or "*")
INNER_IMPORTS: dict[tuple[str, str], str] = {
	("tolink.commands", "*"): (
		"bench imports every app's commands module at every bench invocation, before any site is "
		"connected: each command imports what it runs (the demo, the install, the API) when it runs"
	),
}


def module_name(path: str) -> str:
	parts = os.path.relpath(path, os.path.dirname(APP_DIR))[: -len(".py")].split(os.sep)
	if parts[-1] == "__init__":
		parts.pop()
	return ".".join(parts)


def is_test_code(module: str) -> bool:
	parts = module.split(".")
	return "tests" in parts or parts[-1].startswith("test_")


def top_level(module: str) -> str:
	parts = module.split(".")
	return parts[1] if len(parts) > 1 else "__init__"


def collect_modules() -> dict[str, str]:
	modules = {}
	for root, dirs, files in os.walk(APP_DIR):
		dirs[:] = sorted(
			d for d in dirs if d not in ("__pycache__", "node_modules") and not d.startswith(".")
		)
		for name in sorted(files):
			if name.endswith(".py"):
				path = os.path.join(root, name)
				modules[module_name(path)] = path
	return modules


def imported_modules(node, module: str, is_package: bool, modules: dict) -> list[str]:
	"""The app's modules an import statement names (the longest existing module of each name)."""
	if isinstance(node, ast.Import):
		names = [alias.name for alias in node.names]
	else:
		base = node.module or ""
		if node.level:
			package = module.split(".") if is_package else module.split(".")[:-1]
			package = package[: len(package) - node.level + 1]
			base = ".".join([*package, base] if base else package)
		names = [
			f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names
		]
	out = []
	for name in names:
		if name != APP and not name.startswith(f"{APP}."):
			continue
		parts = name.split(".")
		while len(parts) > 1 and ".".join(parts) not in modules:
			parts.pop()
		if (target := ".".join(parts)) not in out:
			out.append(target)
	return out


def import_edges(modules: dict) -> list[tuple[str, str, int, bool]]:
	"""(importer, imported, line, inside a function) for every import of the app's modules."""
	edges = []
	for module, path in modules.items():
		with open(path, encoding="utf-8") as f:
			tree = ast.parse(f.read(), path)
		is_package = path.endswith("__init__.py")

		def visit(node, in_function: bool, module=module, is_package=is_package):
			for child in ast.iter_child_nodes(node):
				if isinstance(child, ast.Import | ast.ImportFrom):
					for target in imported_modules(child, module, is_package, modules):
						edges.append((module, target, child.lineno, in_function))
				visit(
					child,
					in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda),
				)

		visit(tree, False)
	return edges


def layer_of(package: str) -> int | None:
	for index, (_name, packages) in enumerate(LAYERS):
		if package in packages:
			return index
	return None


def layer_problem(importer: str, imported: str) -> str | None:
	"""Why a production module may not import another (None: it may)."""
	source, target = top_level(importer), top_level(imported)
	if source == target or source in APP_LEVEL or (source, target) in SIDEWAYS:
		return None
	if target in APP_LEVEL:
		return f"{source} imports the app-level {target}"
	if source in TEST_PACKAGES or target in TEST_PACKAGES:
		return None  # (c) says it
	here, there = layer_of(source), layer_of(target)
	if here is None or there is None:
		return None  # test_every_package_has_a_place says it
	if there > here:
		return f"{source} ({LAYERS[here][0]}) imports up into {target} ({LAYERS[there][0]})"
	if there == here:
		return f"{source} imports sideways into {target} ({LAYERS[here][0]}): not in SIDEWAYS"
	return None


def cycles(edges) -> list[list[str]]:
	"""The strongly connected components of more than one module (Tarjan, iterative)."""
	graph = defaultdict(set)
	for importer, imported, _line, _inner in edges:
		if importer != imported:
			graph[importer].add(imported)
	index, low, on_stack, stack, found = {}, {}, set(), [], []
	for start in sorted(graph):
		if start in index:
			continue
		work = [(start, iter(sorted(graph[start])))]
		index[start] = low[start] = len(index)
		stack.append(start)
		on_stack.add(start)
		while work:
			node, children = work[-1]
			child = next(children, None)
			if child is not None:
				if child not in index:
					index[child] = low[child] = len(index)
					stack.append(child)
					on_stack.add(child)
					work.append((child, iter(sorted(graph[child]))))
				elif child in on_stack:
					low[node] = min(low[node], index[child])
				continue
			work.pop()
			if work:
				low[work[-1][0]] = min(low[work[-1][0]], low[node])
			if low[node] == index[node]:
				component = []
				while True:
					member = stack.pop()
					on_stack.discard(member)
					component.append(member)
					if member == node:
						break
				if len(component) > 1:
					found.append(sorted(component))
	return found


class TestLayers(unittest.TestCase):
	@classmethod
	def setUpClass(cls):
		cls.modules = collect_modules()
		cls.edges = import_edges(cls.modules)
		cls.production = [e for e in cls.edges if not is_test_code(e[0])]

	def report(self, title: str, problems: list[str]) -> None:
		print(f"\n{title}: {len(problems)}")
		for problem in problems:
			print(f"  {problem}")
		self.assertEqual(problems, [], title)

	def test_every_package_has_a_place(self):
		placed = APP_LEVEL | TEST_PACKAGES | {p for _name, packages in LAYERS for p in packages}
		self.report(
			"top-level packages or modules without a place in LAYERS or APP_LEVEL",
			sorted({top_level(m) for m in self.modules if not is_test_code(m)} - placed),
		)

	def test_a_imports_go_down_the_layers(self):
		problems = []
		for importer, imported, line, _inner in self.production:
			if why := layer_problem(importer, imported):
				problems.append(f"{importer}:{line} -> {imported}: {why}")
		for (source, target), reason in SIDEWAYS.items():
			self.assertTrue(reason, (source, target))
		self.report("imports up a layer or sideways", problems)

	def test_b_no_import_cycles(self):
		problems = []
		for component in cycles(self.edges):
			members = set(component)
			problems.append(
				" <-> ".join(component)
				+ ": "
				+ "; ".join(
					f"{importer}:{line}{' (in a function)' if inner else ''} -> {imported}"
					for importer, imported, line, inner in self.edges
					if importer in members and imported in members and importer != imported
				)
			)
		self.report("import cycles", problems)

	def test_c_production_code_imports_no_test_code(self):
		self.report(
			"production code importing test code",
			[
				f"{importer}:{line} -> {imported}"
				for importer, imported, line, _inner in self.production
				if is_test_code(imported)
			],
		)

	def test_d_imports_at_the_top(self):
		problems, used = [], set()
		for importer, imported, line, inner in self.production:
			if not inner:
				continue
			key = next(((importer, t) for t in (imported, "*") if (importer, t) in INNER_IMPORTS), None)
			if key:
				used.add(key)
			else:
				problems.append(f"{importer}:{line} imports {imported} inside a function")
		for key, reason in INNER_IMPORTS.items():
			self.assertTrue(reason, key)
		problems += [
			f"INNER_IMPORTS lists {key}, which imports nothing inside a function"
			for key in set(INNER_IMPORTS) - used
		]
		self.report("imports of tolink.* inside functions, not in INNER_IMPORTS", problems)

	def test_the_checks_see_what_they_must(self):
		"""The rules catch what they are for (on made-up edges)."""
		self.assertIsNotNone(layer_problem("tolink.network.directory", "tolink.care_path.matching"))
		self.assertIsNotNone(layer_problem("tolink.care_path.matching", "tolink.distribution.stock"))
		self.assertIsNotNone(layer_problem("tolink.permissions.links", "tolink.care_path.permissions"))
		self.assertIsNotNone(layer_problem("tolink.security.accounts", "tolink.permissions"))
		self.assertIsNotNone(layer_problem("tolink.api.desk", "tolink.setup.install"))
		self.assertIsNone(layer_problem("tolink.vouchers.redemption", "tolink.permissions"))
		self.assertIsNone(layer_problem("tolink.setup.install", "tolink.care_path.workflows"))
		self.assertIsNone(layer_problem("tolink.monitoring.measures", "tolink.pathways.alerts"))
		self.assertIsNotNone(layer_problem("tolink.pathways.alerts", "tolink.monitoring.follow_up"))
		self.assertIsNotNone(layer_problem("tolink.care_path.matching", "tolink.monitoring"))
		self.assertEqual(
			cycles([("a", "b", 1, False), ("b", "c", 1, True), ("c", "a", 1, False)]), [["a", "b", "c"]]
		)
		self.assertEqual(cycles([("a", "b", 1, False), ("b", "c", 1, False)]), [])
		self.assertTrue(is_test_code("tolink.registry.tests.helpers"))
		self.assertTrue(is_test_code("tolink.security.test_accounts"))
		self.assertFalse(is_test_code("tolink.devtools.factories"))
		self.assertGreater(len(self.edges), 100)
