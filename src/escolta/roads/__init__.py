"""Roads between sites (docs/design.md §12): the network, the routes, the convoy's game.

``network`` reads a road network (OpenStreetMap PBF or XML, or GraphML as osmnx writes it)
into a directed graph of drivable roads with travel times; ``snap`` puts each site at its
nearest road node; ``paths`` finds the routes within a detour bound; ``game`` solves the
zero-sum route game against ambushers for given trips, exactly, by column generation.
"""
