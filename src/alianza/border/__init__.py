"""The US–Mexico boundary: line, segments, point location (pure geometry, no Django here).

Modules: ``geometry`` (projection, line loading, distances), ``segmenting`` (fixed-length
segments with stable ids), ``locating`` (nearest segment, side, distance), ``hexes`` (H3
helpers), ``derivation`` (building the bundled copy from the IBWC line).
"""
