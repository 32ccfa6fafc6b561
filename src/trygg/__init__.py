"""Trygghetskartan: trygghet, brott och medborgarlöften per plats."""

__version__ = "0.1.0"
