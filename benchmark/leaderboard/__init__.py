"""The leaderboard: ``build`` scores and ranks every submission, ``render`` writes README.md, index.html and JSON.

``percee leaderboard`` runs ``build.build_leaderboard`` then ``render.write_leaderboard``; the page template, its
style and its script sit in ``templates/``.
"""
