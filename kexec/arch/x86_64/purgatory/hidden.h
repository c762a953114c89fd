/* hidden.h - forced first include of every purgatory object.
 * Hidden visibility makes -fpie code reach every symbol RIP-relative, so the
 * linked image holds no GOT and no absolute address: it runs wherever the
 * loader copies it (checked at build time by linking at two bases). */
#pragma GCC visibility push(hidden)
