"""The one median and the one ratio every comparison uses."""


def median(values):
    """The middle of the values (the mean of the two middle ones for an even count); None when empty."""
    ordered = sorted(v for v in values if v is not None)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def ratio(ours, peer):
    """ours / peer, or None when either is missing or the peer is not positive."""
    if ours is None or peer is None or peer <= 0:
        return None
    return ours / peer
