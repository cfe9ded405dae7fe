/** Block type of a pcapng Section Header Block; the same in either byte order. */
export const SHB = 0x0a0d0d0a;
/** Interface Description Block. */
export const IDB = 1;
/** Obsolete Packet Block. */
export const OPB = 2;
/** Simple Packet Block. */
export const SPB = 3;
/** Enhanced Packet Block. */
export const EPB = 6;
/** The section header's byte-order magic. */
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** Option codes common to every block. */
export const OPT_ENDOFOPT = 0;
export const OPT_COMMENT = 1;
/** Interface Description Block options. */
export const IF_NAME = 2;
export const IF_DESCRIPTION = 3;
export const IF_TSRESOL = 9;
/** Section Header Block options. */
export const SHB_USERAPPL = 4;
