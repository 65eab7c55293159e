"""The pages of the Streamlit explorer: widgets and layout over the ``graph`` package."""
