"""PDF: conversion by LibreOffice (one run per batch, or kept warm), fillable form fields."""
