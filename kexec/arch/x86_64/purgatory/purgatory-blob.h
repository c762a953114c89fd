/* purgatory-blob.h - the purgatory image embedded in kexec (generated
 * purgatory-blob.c); its layout is described by purgatory-abi.h. */
#ifndef KX_PURGATORY_BLOB_H
#define KX_PURGATORY_BLOB_H

extern const unsigned char kx_purgatory_blob[];
extern const unsigned int kx_purgatory_blob_len;

#endif
