// SolveAssignment: min-cost flow (LEMON NetworkSimplex over SmartDigraph), uniqueness check of the
// optimum, and the max-flow cut that explains an infeasible instance.
//
// Network: slot s (supply demand[s]) -> officer o (capacity 1, cost c) -> sink (capacity cap,
// supply -sum demand). With 40-bit costs and < 2^22 officer-visits the total fits in int64.
#include <lemon/network_simplex.h>
#include <lemon/preflow.h>
#include <lemon/smart_graph.h>

#include <algorithm>
#include <deque>

#include "sampler/pairing.h"

namespace suiji::sampler {
namespace {

using Graph = lemon::SmartDigraph;

// True when the residual graph of an optimal flow has a zero-reduced-cost cycle that changes some
// slot -> officer arc, i.e. another assignment has the same total cost.
// Nodes 0..S-1 are slots, S..S+O-1 officers; the sink is handled separately so that the trivial
// cycle officer -> sink -> same officer is not mistaken for an alternative.
bool HasAlternativeOptimum(std::size_t slots, std::size_t officers,
                           const std::vector<std::vector<std::uint32_t>>& zero_adj,
                           const std::vector<char>& to_sink, const std::vector<char>& from_sink) {
  std::size_t n = slots + officers;
  // 1. A cycle among slots and officers (iterative DFS, three colours).
  std::vector<std::uint8_t> colour(n, 0);
  std::vector<std::pair<std::uint32_t, std::size_t>> stack;
  for (std::size_t root = 0; root < n; ++root) {
    if (colour[root]) continue;
    stack.push_back({static_cast<std::uint32_t>(root), 0});
    colour[root] = 1;
    while (!stack.empty()) {
      auto& [v, i] = stack.back();
      if (i < zero_adj[v].size()) {
        std::uint32_t w = zero_adj[v][i++];
        if (colour[w] == 1) return true;
        if (colour[w] == 0) {
          colour[w] = 1;
          stack.push_back({w, 0});
        }
      } else {
        colour[v] = 2;
        stack.pop_back();
      }
    }
  }
  // 2. A cycle through the sink: sink -> o2 ... -> o1 -> sink with o1 != o2. Propagate up to two
  // distinct origin labels from every officer the sink can reach.
  constexpr std::uint32_t kNone = ~0u;
  std::vector<std::uint32_t> l1(n, kNone), l2(n, kNone);
  std::deque<std::pair<std::uint32_t, std::uint32_t>> queue;
  for (std::size_t o = 0; o < officers; ++o)
    if (from_sink[o]) {
      std::uint32_t v = static_cast<std::uint32_t>(slots + o);
      l1[v] = v;
      queue.push_back({v, v});
    }
  while (!queue.empty()) {
    auto [v, label] = queue.front();
    queue.pop_front();
    for (std::uint32_t w : zero_adj[v]) {
      if (l1[w] == kNone) {
        l1[w] = label;
        queue.push_back({w, label});
      } else if (l1[w] != label && l2[w] == kNone) {
        l2[w] = label;
        queue.push_back({w, label});
      }
    }
  }
  for (std::size_t o = 0; o < officers; ++o) {
    std::uint32_t v = static_cast<std::uint32_t>(slots + o);
    if (to_sink[o] && ((l1[v] != kNone && l1[v] != v) || (l2[v] != kNone && l2[v] != v))) return true;
  }
  return false;
}

// Infeasible: max flow, then everything reachable from an understaffed slot in the residual graph.
void ExplainInfeasible(const std::vector<std::int64_t>& demand,
                       const std::vector<std::vector<AssignmentArc>>& arcs, std::size_t officers,
                       std::int64_t cap, AssignmentResult& r) {
  Graph g;
  std::size_t S = demand.size();
  std::vector<Graph::Node> slot(S), off(officers);
  for (auto& n : slot) n = g.addNode();
  for (auto& n : off) n = g.addNode();
  Graph::Node source = g.addNode(), sink = g.addNode();
  Graph::ArcMap<std::int64_t> capacity(g);
  std::vector<Graph::Arc> src_arc(S), sink_arc(officers);
  std::vector<std::vector<Graph::Arc>> pair_arc(S);
  for (std::size_t s = 0; s < S; ++s) {
    src_arc[s] = g.addArc(source, slot[s]);
    capacity[src_arc[s]] = demand[s];
    for (const auto& a : arcs[s]) {
      auto arc = g.addArc(slot[s], off[a.officer]);
      capacity[arc] = 1;
      pair_arc[s].push_back(arc);
    }
  }
  for (std::size_t o = 0; o < officers; ++o) {
    sink_arc[o] = g.addArc(off[o], sink);
    capacity[sink_arc[o]] = cap;
  }
  lemon::Preflow<Graph, Graph::ArcMap<std::int64_t>> preflow(g, capacity, source, sink);
  preflow.run();
  std::int64_t total = 0;
  for (auto d : demand) total += d;
  r.deficit = total - preflow.flowValue();
  std::vector<char> slot_seen(S, 0), off_seen(officers, 0);
  std::deque<std::size_t> queue;  // slots
  for (std::size_t s = 0; s < S; ++s)
    if (preflow.flow(src_arc[s]) < demand[s]) {
      slot_seen[s] = 1;
      queue.push_back(s);
    }
  // Officer -> slots that use it, for the backward residual arcs.
  std::vector<std::vector<std::uint32_t>> users(officers);
  for (std::size_t s = 0; s < S; ++s)
    for (std::size_t i = 0; i < arcs[s].size(); ++i)
      if (preflow.flow(pair_arc[s][i]) > 0) users[arcs[s][i].officer].push_back(static_cast<std::uint32_t>(s));
  while (!queue.empty()) {
    std::size_t s = queue.front();
    queue.pop_front();
    for (std::size_t i = 0; i < arcs[s].size(); ++i) {
      std::uint32_t o = arcs[s][i].officer;
      if (preflow.flow(pair_arc[s][i]) > 0 || off_seen[o]) continue;
      off_seen[o] = 1;
      for (std::uint32_t s2 : users[o])
        if (!slot_seen[s2]) {
          slot_seen[s2] = 1;
          queue.push_back(s2);
        }
    }
  }
  for (std::size_t s = 0; s < S; ++s)
    if (slot_seen[s]) r.short_slots.push_back(static_cast<std::uint32_t>(s));
  for (std::size_t o = 0; o < officers; ++o)
    if (off_seen[o]) r.competing_officers.push_back(static_cast<std::uint32_t>(o));
}

}  // namespace

AssignmentResult SolveAssignment(const std::vector<std::int64_t>& demand,
                                 const std::vector<std::vector<AssignmentArc>>& arcs,
                                 std::size_t officers, std::int64_t cap) {
  AssignmentResult r;
  std::size_t S = demand.size();
  r.chosen.assign(S, {});
  Graph g;
  g.reserveNode(static_cast<int>(S + officers + 1));
  std::size_t arc_count = officers;
  for (const auto& a : arcs) arc_count += a.size();
  g.reserveArc(static_cast<int>(arc_count));
  std::vector<Graph::Node> slot(S), off(officers);
  for (auto& n : slot) n = g.addNode();
  for (auto& n : off) n = g.addNode();
  Graph::Node sink = g.addNode();
  Graph::ArcMap<std::int64_t> upper(g), cost(g);
  Graph::NodeMap<std::int64_t> supply(g, 0);
  std::int64_t total = 0;
  for (std::size_t s = 0; s < S; ++s) {
    supply[slot[s]] = demand[s];
    total += demand[s];
    for (const auto& a : arcs[s]) {
      auto arc = g.addArc(slot[s], off[a.officer]);
      upper[arc] = 1;
      cost[arc] = static_cast<std::int64_t>(a.cost);
    }
  }
  std::vector<Graph::Arc> sink_arc(officers);
  for (std::size_t o = 0; o < officers; ++o) {
    sink_arc[o] = g.addArc(off[o], sink);
    upper[sink_arc[o]] = cap;
    cost[sink_arc[o]] = 0;
  }
  supply[sink] = -total;

  lemon::NetworkSimplex<Graph, std::int64_t, std::int64_t> ns(g);
  ns.upperMap(upper).costMap(cost).supplyMap(supply);
  if (ns.run() != decltype(ns)::OPTIMAL) {
    r.status = "infeasible";
    r.chosen.clear();
    ExplainInfeasible(demand, arcs, officers, cap, r);
    return r;
  }
  // Reduced cost c(uv) + pi(u) - pi(v): >= 0 on every residual arc of an optimal flow.
  auto rc = [&](Graph::Arc a) { return cost[a] + ns.potential(g.source(a)) - ns.potential(g.target(a)); };
  std::vector<std::vector<std::uint32_t>> zero_adj(S + officers);
  std::vector<char> to_sink(officers, 0), from_sink(officers, 0);
  for (Graph::ArcIt a(g); a != lemon::INVALID; ++a) {
    std::int64_t f = ns.flow(a), red = rc(a);
    bool forward = f < upper[a], backward = f > 0;
    if ((forward && red < 0) || (backward && red > 0)) {
      r.status = "error";  // not optimal: never expected from NetworkSimplex
      return r;
    }
    if (red != 0) continue;
    std::size_t u = static_cast<std::size_t>(g.id(g.source(a))), v = static_cast<std::size_t>(g.id(g.target(a)));
    if (g.target(a) == sink) {
      to_sink[u - S] = forward;
      from_sink[u - S] = backward;
    } else {
      if (forward) zero_adj[u].push_back(static_cast<std::uint32_t>(v));
      if (backward) zero_adj[v].push_back(static_cast<std::uint32_t>(u));
    }
  }
  for (std::size_t s = 0; s < S; ++s) {
    // SmartDigraph out-arcs of a slot are its pair arcs, in any order; read them back by target.
    for (Graph::OutArcIt a(g, slot[s]); a != lemon::INVALID; ++a)
      if (ns.flow(a) > 0) {
        r.chosen[s].push_back(static_cast<std::uint32_t>(g.id(g.target(a)) - static_cast<int>(S)));
        r.total_cost += static_cast<std::uint64_t>(cost[a]);
      }
    std::sort(r.chosen[s].begin(), r.chosen[s].end());
  }
  if (HasAlternativeOptimum(S, officers, zero_adj, to_sink, from_sink)) {
    r.status = "tie";
    r.chosen.clear();
    return r;
  }
  r.status = "ok";
  return r;
}

}  // namespace suiji::sampler
