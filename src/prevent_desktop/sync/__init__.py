"""Moving records between laptops: hybrid logical clock now; bundles and merge later."""
