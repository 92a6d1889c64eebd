"""What a client sees of a project, composed from the facts in effect at one moment.

The same functions answer the live routes and the reconstruction of a past view, so
the two cannot drift apart.
"""
