/* SPDX-License-Identifier: MIT */
/* World profiles named in the op-stream header: which SMMUs the world has. */
#ifndef SMMUFUZZ_PROFILES_H
#define SMMUFUZZ_PROFILES_H

#include "world.h"

/* Fill @cfg for profile @idx; false if there is no such profile. */
bool profile_world_config(unsigned idx, struct world_config *cfg);

#endif /* SMMUFUZZ_PROFILES_H */
