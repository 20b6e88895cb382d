/* highmem.h - temporary kernel mappings of frames above the direct map. */
#ifndef LINUX_HIGHMEM_H
#define LINUX_HIGHMEM_H
#include <linux/mm.h>

enum km_type { KM_USER0, KM_USER1, KM_PTE0, KM_SELFTEST, KM_TYPE_NR };

void kmap_init(void);
void *kmap(struct page *page);		/* may not be called with IRQs off */
void kunmap(struct page *page);
void *kmap_atomic(struct page *page, enum km_type type);
void kunmap_atomic(void *kvaddr, enum km_type type);
unsigned int pkmap_in_use(void);
#endif
