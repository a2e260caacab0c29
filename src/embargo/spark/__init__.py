"""Screening on Apache Spark with the batch screener (``embargo spark-screen``).

:func:`embargo.spark.job.run_spark` runs the whole job; :func:`screen_dataframe` screens
numbered rows of a DataFrame you already have (see :func:`embargo.spark.job.read_numbered`).
pyspark is an optional dependency: ``pip install 'embargo[spark]'``.
"""

from embargo.spark.job import SparkRequest, read_numbered, run_spark, screen_dataframe

__all__ = ["SparkRequest", "read_numbered", "run_spark", "screen_dataframe"]
