#!/bin/sh
# mkblob.sh NAME FILE - print FILE as a C array NAME[] and NAME_len (od from coreutils; no xxd).
name=$1
file=$2
echo "/* generated from $(basename "$file") by mkblob.sh: do not edit */"
echo "#include \"purgatory/purgatory-blob.h\""
echo "const unsigned char ${name}[] __attribute__((aligned(16))) = {"
od -An -v -tx1 "$file" | sed -e 's/[0-9a-f][0-9a-f]/0x&,/g' -e 's/^ */\t/'
echo "};"
echo "const unsigned int ${name}_len = sizeof(${name});"
