// libcsv from Debian's libcsv-dev. The package ships no pkg-config file, so the
// module map links "csv" by name.
#include <csv.h>
