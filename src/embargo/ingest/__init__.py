"""Getting lists into the store: detection, unpacking, importing, fetching."""
