"""Orders for the night on a need-to-know basis, fingerprinted so that a leak names its source
(docs/design.md §10; docs/orders.md).

:mod:`~escolta.orders.duty` decides what each person may know, :mod:`~escolta.orders.text`
writes an order with a codeword hidden in harmless variants, :mod:`~escolta.orders.tardos`
is the collusion-resistant code and its proven threshold, :mod:`~escolta.orders.read` reads
the marks back from a leaked text and :mod:`~escolta.orders.trace` accuses.
"""
