"""Small helpers around highspy: a quiet solver and sparse models in, solutions out."""

from __future__ import annotations

import ctypes
import os
import sys

import highspy
import numpy as np
import scipy.sparse as sp

INF = highspy.kHighsInf
_banner_suppressed = False


def new_solver(*, time_limit: float | None = None, threads: int | None = None) -> highspy.Highs:
    """A silent HiGHS instance.

    HiGHS prints a licence banner on C stdout the first time a solver is created in a
    process, which would corrupt JSON printed by the command line; swallow it once.
    """
    global _banner_suppressed
    if _banner_suppressed:
        solver = highspy.Highs()
    else:
        sys.stdout.flush()
        saved = os.dup(1)
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, 1)
            solver = highspy.Highs()
            try:
                ctypes.CDLL(None).fflush(None)
            except (OSError, AttributeError):  # pragma: no cover - non-POSIX libc
                pass
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(devnull)
        _banner_suppressed = True
    solver.setOptionValue("output_flag", False)
    if time_limit is not None:
        solver.setOptionValue("time_limit", float(time_limit))
    if threads is not None:
        solver.setOptionValue("threads", int(threads))
    return solver


def pass_model(
    solver: highspy.Highs,
    *,
    cost: np.ndarray,
    col_lower: np.ndarray,
    col_upper: np.ndarray,
    matrix: sp.spmatrix,
    row_lower: np.ndarray,
    row_upper: np.ndarray,
    integer: np.ndarray | None = None,
    maximize: bool = False,
) -> None:
    csc = sp.csc_matrix(matrix)
    csc.sort_indices()
    lp = highspy.HighsLp()
    lp.num_col_ = int(csc.shape[1])
    lp.num_row_ = int(csc.shape[0])
    lp.col_cost_ = np.asarray(cost, dtype=np.float64)
    lp.col_lower_ = np.asarray(col_lower, dtype=np.float64)
    lp.col_upper_ = np.asarray(col_upper, dtype=np.float64)
    lp.row_lower_ = np.asarray(row_lower, dtype=np.float64)
    lp.row_upper_ = np.asarray(row_upper, dtype=np.float64)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = csc.indptr.astype(np.int32)
    lp.a_matrix_.index_ = csc.indices.astype(np.int32)
    lp.a_matrix_.value_ = csc.data.astype(np.float64)
    lp.sense_ = highspy.ObjSense.kMaximize if maximize else highspy.ObjSense.kMinimize
    if integer is not None:
        lp.integrality_ = [
            highspy.HighsVarType.kInteger if flag else highspy.HighsVarType.kContinuous
            for flag in integer
        ]
    solver.passModel(lp)


def status_name(solver: highspy.Highs) -> str:
    return solver.modelStatusToString(solver.getModelStatus())
