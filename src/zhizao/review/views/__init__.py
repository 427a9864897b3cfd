"""Pages of expert review: the pool, the office's rounds, the expert's assignments."""
