"""HTTP routes (Powertools Routers), their error mapping and the OpenAPI description."""
