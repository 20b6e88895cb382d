/* rbtree.c - red-black tree rebalancing (CLRS chapter 13, with parent
 * pointers). Invariants: the root is black, a red node has black children,
 * every path from a node to its leaves has the same number of black nodes;
 * hence depth <= 2 log2(n + 1). */
#include <linux/rbtree.h>

static void rotate_left(struct rb_node *x, struct rb_root *root)
{
	struct rb_node *y = x->rb_right;
	x->rb_right = y->rb_left;
	if (y->rb_left)
		y->rb_left->rb_parent = x;
	y->rb_parent = x->rb_parent;
	if (!x->rb_parent)
		root->rb_node = y;
	else if (x == x->rb_parent->rb_left)
		x->rb_parent->rb_left = y;
	else
		x->rb_parent->rb_right = y;
	y->rb_left = x;
	x->rb_parent = y;
}

static void rotate_right(struct rb_node *x, struct rb_root *root)
{
	struct rb_node *y = x->rb_left;
	x->rb_left = y->rb_right;
	if (y->rb_right)
		y->rb_right->rb_parent = x;
	y->rb_parent = x->rb_parent;
	if (!x->rb_parent)
		root->rb_node = y;
	else if (x == x->rb_parent->rb_right)
		x->rb_parent->rb_right = y;
	else
		x->rb_parent->rb_left = y;
	y->rb_right = x;
	x->rb_parent = y;
}

static inline bool is_red(const struct rb_node *n) { return n && n->rb_color == RB_RED; }

/* Restore the invariants after linking a new red node. */
void rb_insert_color(struct rb_node *z, struct rb_root *root)
{
	while (is_red(z->rb_parent)) {
		struct rb_node *p = z->rb_parent, *g = p->rb_parent;
		if (p == g->rb_left) {
			struct rb_node *u = g->rb_right;
			if (is_red(u)) {
				p->rb_color = u->rb_color = RB_BLACK;
				g->rb_color = RB_RED;
				z = g;
				continue;
			}
			if (z == p->rb_right) {
				rotate_left(p, root);
				z = p;
				p = z->rb_parent;
			}
			p->rb_color = RB_BLACK;
			g->rb_color = RB_RED;
			rotate_right(g, root);
		} else {
			struct rb_node *u = g->rb_left;
			if (is_red(u)) {
				p->rb_color = u->rb_color = RB_BLACK;
				g->rb_color = RB_RED;
				z = g;
				continue;
			}
			if (z == p->rb_left) {
				rotate_right(p, root);
				z = p;
				p = z->rb_parent;
			}
			p->rb_color = RB_BLACK;
			g->rb_color = RB_RED;
			rotate_left(g, root);
		}
	}
	root->rb_node->rb_color = RB_BLACK;
}

/* Put v where u was (u's parent now points to v). */
static void transplant(struct rb_node *u, struct rb_node *v, struct rb_root *root)
{
	if (!u->rb_parent)
		root->rb_node = v;
	else if (u == u->rb_parent->rb_left)
		u->rb_parent->rb_left = v;
	else
		u->rb_parent->rb_right = v;
	if (v)
		v->rb_parent = u->rb_parent;
}

/* Fix a "doubly black" hole at x (possibly NULL) whose parent is xp. */
static void erase_fixup(struct rb_node *x, struct rb_node *xp, struct rb_root *root)
{
	while (x != root->rb_node && !is_red(x)) {
		if (x == xp->rb_left) {
			struct rb_node *w = xp->rb_right;
			if (is_red(w)) {
				w->rb_color = RB_BLACK;
				xp->rb_color = RB_RED;
				rotate_left(xp, root);
				w = xp->rb_right;
			}
			if (!is_red(w->rb_left) && !is_red(w->rb_right)) {
				w->rb_color = RB_RED;
				x = xp;
				xp = x->rb_parent;
			} else {
				if (!is_red(w->rb_right)) {
					w->rb_left->rb_color = RB_BLACK;
					w->rb_color = RB_RED;
					rotate_right(w, root);
					w = xp->rb_right;
				}
				w->rb_color = xp->rb_color;
				xp->rb_color = RB_BLACK;
				if (w->rb_right)
					w->rb_right->rb_color = RB_BLACK;
				rotate_left(xp, root);
				x = root->rb_node;
				break;
			}
		} else {
			struct rb_node *w = xp->rb_left;
			if (is_red(w)) {
				w->rb_color = RB_BLACK;
				xp->rb_color = RB_RED;
				rotate_right(xp, root);
				w = xp->rb_left;
			}
			if (!is_red(w->rb_left) && !is_red(w->rb_right)) {
				w->rb_color = RB_RED;
				x = xp;
				xp = x->rb_parent;
			} else {
				if (!is_red(w->rb_left)) {
					w->rb_right->rb_color = RB_BLACK;
					w->rb_color = RB_RED;
					rotate_left(w, root);
					w = xp->rb_left;
				}
				w->rb_color = xp->rb_color;
				xp->rb_color = RB_BLACK;
				if (w->rb_left)
					w->rb_left->rb_color = RB_BLACK;
				rotate_right(xp, root);
				x = root->rb_node;
				break;
			}
		}
	}
	if (x)
		x->rb_color = RB_BLACK;
}

/* Unlink z from the tree and rebalance. */
void rb_erase(struct rb_node *z, struct rb_root *root)
{
	struct rb_node *x, *xp;
	int removed_color = z->rb_color;
	if (!z->rb_left) {
		x = z->rb_right;
		xp = z->rb_parent;
		transplant(z, x, root);
	} else if (!z->rb_right) {
		x = z->rb_left;
		xp = z->rb_parent;
		transplant(z, x, root);
	} else {
		struct rb_node *y = z->rb_right;
		while (y->rb_left)
			y = y->rb_left;
		removed_color = y->rb_color;
		x = y->rb_right;
		if (y->rb_parent == z) {
			xp = y;
		} else {
			xp = y->rb_parent;
			transplant(y, x, root);
			y->rb_right = z->rb_right;
			y->rb_right->rb_parent = y;
		}
		transplant(z, y, root);
		y->rb_left = z->rb_left;
		y->rb_left->rb_parent = y;
		y->rb_color = z->rb_color;
	}
	if (removed_color == RB_BLACK)
		erase_fixup(x, xp, root);
}

struct rb_node *rb_first(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;
	while (n && n->rb_left)
		n = n->rb_left;
	return n;
}

/* In-order successor. */
struct rb_node *rb_next(const struct rb_node *n)
{
	if (n->rb_right) {
		n = n->rb_right;
		while (n->rb_left)
			n = n->rb_left;
		return (struct rb_node *)n;
	}
	while (n->rb_parent && n == n->rb_parent->rb_right)
		n = n->rb_parent;
	return n->rb_parent;
}
