/* rbtree.h - red-black trees (the project's own, with Linux's names):
 * the caller walks down to the insertion point, links the node there with
 * rb_link_node, then calls rb_insert_color to rebalance. */
#ifndef LINUX_RBTREE_H
#define LINUX_RBTREE_H
#include <linux/kernel.h>

#define RB_RED 0
#define RB_BLACK 1
struct rb_node {
	struct rb_node *rb_parent, *rb_left, *rb_right;
	int rb_color;
};
struct rb_root { struct rb_node *rb_node; };
#define RB_ROOT ((struct rb_root){ 0 })
#define rb_entry(ptr, type, member) container_of(ptr, type, member)

static inline void rb_link_node(struct rb_node *node, struct rb_node *parent, struct rb_node **link)
{
	node->rb_parent = parent;
	node->rb_left = node->rb_right = 0;
	node->rb_color = RB_RED;
	*link = node;
}
void rb_insert_color(struct rb_node *node, struct rb_root *root);
void rb_erase(struct rb_node *node, struct rb_root *root);
struct rb_node *rb_first(const struct rb_root *root);
struct rb_node *rb_next(const struct rb_node *node);
#endif
