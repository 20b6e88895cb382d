/* initramfs.S - the user programs, as a cpio archive (mkinitramfs.py),
 * linked into the kernel so that it boots to init with no modules. */
	.section .rodata.initramfs, "a"
	.globl __initramfs_start, __initramfs_end
	.balign 4
__initramfs_start:
	.incbin INITRAMFS_FILE
__initramfs_end:
