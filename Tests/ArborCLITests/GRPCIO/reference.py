"""What arbor.v2 should answer for a fixture, computed from its tables without the server.

PostgreSQL does what is easiest to get subtly wrong by hand (the day of a time in the model's zone, numeric values
scaled and rounded half away from zero); plain Python does the graph (breadth-first search, strongly connected
components) and the ordering rules of the contract (design.md, "Semantics" and "Details every call follows").
"""

import datetime as dt
import uuid
from collections import defaultdict, deque


def ascii_lower(text):
    return "".join(c.lower() if "A" <= c <= "Z" else c for c in text)


class Reference:
    def __init__(self, id_type, time_zone, attributes, attribute_kinds, nodes, edges, sources, events):
        self.id_type = id_type
        self.time_zone = time_zone
        self.attributes = attributes
        self.attribute_kinds = attribute_kinds
        self.nodes = nodes  # id -> (label, {attribute: value or None})
        self.edges = edges  # distinct (parent, child) pairs of existing nodes
        self.sources = sources  # name -> {"dimensions": [...], "measures": [...]} (count not included)
        self.events = events  # name -> [(node, day, {dimension: value}, (measure values or None...))]
        self.children = defaultdict(set)
        self.parents = defaultdict(set)
        for parent, child in edges:
            self.children[parent].add(child)
            self.parents[child].add(parent)
        self._downlines = {}

    @classmethod
    def load(cls, sql, id_type, time_zone, nodes, attributes, attribute_kinds, edges, sources):
        node_rows = sql.rows(nodes)
        node_map = {row[0]: (row[1], dict(zip(attributes, row[2:]))) for row in node_rows}
        edge_set = {(p, c) for p, c in sql.rows(edges) if p in node_map and c in node_map}
        source_info, events = {}, {}
        for name, spec in sources.items():
            measures = list(spec["measures"])
            source_info[name] = {"dimensions": spec["dimensions"], "measures": measures}
            columns = [f"{spec['node']}::text", f"({spec['day']})::text"]
            columns += [f"{d}::text" for d in spec["dimensions"]]
            columns += [f"({spec['measures'][m]})::text" for m in measures]
            rows = sql.rows(f"SELECT {', '.join(columns)} FROM {spec['table']}")
            width = len(spec["dimensions"])
            events[name] = [
                (
                    row[0],
                    row[1],
                    dict(zip(spec["dimensions"], row[2 : 2 + width])),
                    tuple(None if v is None else int(v) for v in row[2 + width :]),
                )
                for row in rows
                if row[0] in node_map and row[1] is not None
            ]
        return cls(id_type, time_zone, attributes, attribute_kinds, node_map, edge_set, source_info, events)

    # Ordering

    def id_key(self, node):
        if self.id_type == "uuid":
            return uuid.UUID(node).bytes
        if self.id_type == "integer":
            return int(node)
        return node.encode()

    def canonical(self, node):
        return str(uuid.UUID(node)) if self.id_type == "uuid" else node

    def value_key(self, kind, value):
        """Keys compare in their own order, "" (NULL) first."""
        if value == "":
            return (0, 0)
        if kind == "integer":
            return (1, int(value))
        if kind == "boolean":
            return (1, value == "true")
        if kind == "node":
            return (1, self.id_key(value))
        return (1, value.encode())

    # Filters

    def matches(self, value, match):
        name, values, negate = match
        if value is None:
            return False
        return (value not in values) if negate else (value in values)

    def passes(self, node, matches):
        attributes = self.nodes[node][1]
        return all(self.matches(attributes[m[0]], m) for m in matches)

    # Traversals

    def traverse(self, root, max_depth=0, up=False):
        """Every node reachable from root (excluding it) with its depth and tree parent, by depth then id."""
        following = self.parents if up else self.children
        depth = {root: 0}
        queue = deque([root])
        while queue:
            node = queue.popleft()
            if max_depth and depth[node] >= max_depth:
                continue
            for nxt in following[node]:
                if nxt not in depth:
                    depth[nxt] = depth[node] + 1
                    queue.append(nxt)
        preceding = self.children if up else self.parents
        result = []
        for node, d in depth.items():
            if node == root:
                continue
            parent = min((p for p in preceding[node] if depth.get(p) == d - 1), key=self.id_key)
            result.append((node, d, parent))
        result.sort(key=lambda entry: (entry[1], self.id_key(entry[0])))
        return result

    def downline(self, node):
        """Distinct descendants of node, never node itself."""
        if node not in self._downlines:
            self._downlines[node] = {entry[0] for entry in self.traverse(node)}
        return self._downlines[node]

    def cycles(self):
        """Groups of two or more nodes that reach each other, and nodes with an edge to themselves."""
        index, low, on_stack, stack, groups = {}, {}, set(), [], []
        counter = 0
        for start in sorted(self.nodes, key=self.id_key):
            if start in index:
                continue
            work = [(start, iter(sorted(self.children[start], key=self.id_key)))]
            index[start] = low[start] = counter
            counter += 1
            stack.append(start)
            on_stack.add(start)
            while work:
                node, successors = work[-1]
                advanced = False
                for nxt in successors:
                    if nxt not in index:
                        index[nxt] = low[nxt] = counter
                        counter += 1
                        stack.append(nxt)
                        on_stack.add(nxt)
                        work.append((nxt, iter(sorted(self.children[nxt], key=self.id_key))))
                        advanced = True
                        break
                    if nxt in on_stack:
                        low[node] = min(low[node], index[nxt])
                if advanced:
                    continue
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1 or node in self.children[node]:
                        groups.append(sorted(group, key=self.id_key))
        groups.sort(key=lambda g: (-len(g), self.id_key(g[0])))
        return groups

    # Events

    def counted(self, source, event_matches=(), from_date="", to_date=""):
        """The events of source that the scope counts."""
        for event in self.events[source]:
            node, day, dimensions, _ = event
            if from_date and day < from_date or to_date and day > to_date:
                continue
            if all(self.matches(dimensions[m[0]], m) for m in event_matches):
                yield event

    def measure_values(self, source, events, measures):
        """One total per measure (count: the number of events; a sum: its non-NULL values)."""
        names = self.sources[source]["measures"]
        totals = []
        for measure in measures:
            if measure == "count":
                totals.append(len(events))
            else:
                position = names.index(measure)
                totals.append(sum(e[3][position] for e in events if e[3][position] is not None))
        return totals

    def stats(
        self,
        root,
        source,
        exclude_root=False,
        max_depth=0,
        filter=(),
        event_matches=(),
        from_date="",
        to_date="",
        group_by=(),
        measures=("count",),
    ):
        """FilteredStats: (rows [(keys, values, nodes)], totals, nodes_in_scope)."""
        scope = {entry[0] for entry in self.traverse(root, max_depth)}
        if exclude_root:
            scope.discard(root)
        else:
            scope.add(root)
        scope = {node for node in scope if self.passes(node, filter)}
        kinds = dict(self.attribute_kinds)
        kinds.update({d: "text" for d in self.sources[source]["dimensions"]})
        groups = defaultdict(list)
        for event in self.counted(source, event_matches, from_date, to_date):
            node, day, dimensions, _ = event
            if node not in scope:
                continue
            keys = []
            for name in group_by:
                if name == "day":
                    keys.append(day)
                elif name == "week":
                    date = dt.date.fromisoformat(day)
                    keys.append((date - dt.timedelta(days=date.weekday())).isoformat())
                elif name == "month":
                    keys.append(day[:7])
                elif name == "node":
                    keys.append(node)
                elif name in dimensions:
                    keys.append(dimensions[name] or "")
                else:
                    keys.append(self.nodes[node][1][name] or "")
            groups[tuple(keys)].append(event)

        def sort_key(keys):
            parts = []
            for name, key in zip(group_by, keys):
                kind = "node" if name == "node" else ("time" if name in ("day", "week", "month") else kinds[name])
                parts.append(self.value_key(kind, key))
            return parts

        rows = [
            (keys, self.measure_values(source, events, measures), len({e[0] for e in events}))
            for keys, events in sorted(groups.items(), key=lambda item: sort_key(item[0]))
        ]
        every = [e for events in groups.values() for e in events]
        return rows, self.measure_values(source, every, measures), len(scope)

    def leaderboard(
        self,
        metric,
        source,
        measure="count",
        ascending=False,
        filter=(),
        within="",
        event_matches=(),
        from_date="",
        to_date="",
        downline_filter=None,
        breakdown_by="",
        limit=50,
        offset=0,
    ):
        """Leaderboard: (rows as dicts, total_ranked)."""
        candidates = self.downline(within) if within else set(self.nodes)
        ranked = [node for node in candidates if self.passes(node, filter)]
        counted = defaultdict(list)
        for event in self.counted(source, event_matches, from_date, to_date):
            counted[event[0]].append(event)
        measures = ["count"] + self.sources[source]["measures"]
        position = measures.index(measure)

        def row(node):
            downline = self.downline(node)
            own = counted.get(node, [])
            tree = [e for member in downline for e in counted.get(member, [])]
            breakdown = defaultdict(int)
            if breakdown_by:
                for member in downline:
                    breakdown[self.nodes[member][1][breakdown_by] or ""] += 1
            kind = self.attribute_kinds.get(breakdown_by, "text")
            return {
                "id": node,
                "label": self.nodes[node][0] or "",
                "self": self.measure_values(source, own, measures),
                "tree": self.measure_values(source, tree, measures),
                "direct_children": len(self.children[node] - {node}),
                "downline_size": len(downline),
                "downline_matching": (
                    sum(1 for m in downline if self.passes(m, downline_filter)) if downline_filter else 0
                ),
                "breakdown": sorted(breakdown.items(), key=lambda item: self.value_key(kind, item[0])),
            }

        rows = [row(node) for node in ranked]
        value = {
            "self": lambda r: r["self"][position],
            "tree": lambda r: r["tree"][position],
            "direct_children": lambda r: r["direct_children"],
            "downline_size": lambda r: r["downline_size"],
            "downline_matching": lambda r: r["downline_matching"],
        }[metric]
        rows.sort(key=lambda r: ((value(r) if ascending else -value(r)), self.id_key(r["id"])))
        page = rows[offset : offset + limit]
        for i, r in enumerate(page):
            r["rank"] = offset + i + 1
        return page, len(rows)

    def find(self, label_prefix="", ids=None, filter=()):
        """FindNodes before paging: ids in order of (label bytes, id)."""
        found = []
        wanted = None if ids is None else {self.canonical(i) for i in ids}
        for node, (label, _) in self.nodes.items():
            if label_prefix and (label is None or not ascii_lower(label).startswith(ascii_lower(label_prefix))):
                continue
            if wanted is not None and node not in wanted:
                continue
            if not self.passes(node, filter):
                continue
            found.append(node)
        found.sort(key=lambda n: ((self.nodes[n][0] or "").encode(), self.id_key(n)))
        return found
