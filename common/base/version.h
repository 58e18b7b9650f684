/* The one version string every tool prints for --version. */
#ifndef FLOWPIPES_VERSION_H
#define FLOWPIPES_VERSION_H

#define FLOWPIPES_VERSION "0.1.0"

#endif
