package schedule

// flow is a network for max-flow (Dinic's algorithm) on integer
// capacities: the feasibility of limits from two laminar families is a
// circulation with lower bounds, which max-flow decides.
type flow struct {
	head  []int // first edge of each node, -1 for none
	to    []int
	next  []int
	cap   []int64
	level []int
	iter  []int
}

func newFlow(nodes int) *flow {
	f := &flow{head: make([]int, nodes), level: make([]int, nodes), iter: make([]int, nodes)}
	for i := range f.head {
		f.head[i] = -1
	}
	return f
}

// edge adds u->v with capacity c, and returns its index; the reverse edge
// is the index plus one.
func (f *flow) edge(u, v int, c int64) int {
	e := len(f.to)
	f.to, f.next, f.cap = append(f.to, v), append(f.next, f.head[u]), append(f.cap, c)
	f.head[u] = e
	f.to, f.next, f.cap = append(f.to, u), append(f.next, f.head[v]), append(f.cap, 0)
	f.head[v] = e + 1
	return e
}

// max pushes as much as it can from s to t and returns it.
func (f *flow) max(s, t int) int64 {
	var total int64
	for f.bfs(s, t) {
		copy(f.iter, f.head)
		for {
			pushed := f.dfs(s, t, 1<<62)
			if pushed == 0 {
				break
			}
			total += pushed
		}
	}
	return total
}

func (f *flow) bfs(s, t int) bool {
	for i := range f.level {
		f.level[i] = -1
	}
	f.level[s] = 0
	queue := []int{s}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		for e := f.head[u]; e >= 0; e = f.next[e] {
			if v := f.to[e]; f.cap[e] > 0 && f.level[v] < 0 {
				f.level[v] = f.level[u] + 1
				queue = append(queue, v)
			}
		}
	}
	return f.level[t] >= 0
}

func (f *flow) dfs(u, t int, limit int64) int64 {
	if u == t {
		return limit
	}
	for ; f.iter[u] >= 0; f.iter[u] = f.next[f.iter[u]] {
		e := f.iter[u]
		v := f.to[e]
		if f.cap[e] <= 0 || f.level[v] != f.level[u]+1 {
			continue
		}
		if d := f.dfs(v, t, min(limit, f.cap[e])); d > 0 {
			f.cap[e] -= d
			f.cap[e^1] += d
			return d
		}
	}
	return 0
}
