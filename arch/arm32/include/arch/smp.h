/* SPDX-License-Identifier: MIT */
/* arm32 per-CPU specifics (secondary bring-up is not implemented yet). */
#ifndef ARCH_ARM32_SMP_H
#define ARCH_ARM32_SMP_H
#endif
