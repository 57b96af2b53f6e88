"""What kg learns from annotated articles: gold projected onto text, features, the scorers and their training."""
