// zlib from Debian's zlib1g-dev, for reading gzip-compressed exports as a stream.
#include <zlib.h>
