"""kg: Chinese industrial news → knowledge graph of zones, parks, companies, people, products and projects."""

__version__ = "0.1.0"
