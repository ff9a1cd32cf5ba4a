"""kefu: an intelligent customer-service assistant for Chinese banks and insurers."""
